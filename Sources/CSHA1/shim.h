// OpenSSL libcrypto's one-shot SHA1(), used only for the WebSocket handshake (RFC 6455 §4.2.2).
#include <openssl/sha.h>
