// zlib's raw DEFLATE streams, used only for WebSocket permessage-deflate (RFC 7692) in WebSocketDeflate.swift.
#include <zlib.h>
