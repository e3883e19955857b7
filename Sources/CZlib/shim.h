#ifndef LAKEHOUSEKIT_CZLIB_SHIM_H
#define LAKEHOUSEKIT_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 and deflateInit2 are macros that Swift cannot import; these
// wrappers give them a callable form.
static inline int lakehouse_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

static inline int lakehouse_deflateInit2(z_streamp stream, int level, int method,
                                         int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, method, windowBits, memLevel, strategy);
}
#endif
