#ifndef LAKEHOUSEKIT_CSNAPPY_SHIM_H
#define LAKEHOUSEKIT_CSNAPPY_SHIM_H
#include <snappy-c.h>
#endif
