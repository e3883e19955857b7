#ifndef LAKEHOUSEKIT_CZSTD_SHIM_H
#define LAKEHOUSEKIT_CZSTD_SHIM_H
#include <zstd.h>
#endif
