// OpenSSL libcrypto's one-shot SHA1() and SHA256() (WebServer/Crypto/Digest.swift is the only user).
#include <openssl/sha.h>
