// matmul building blocks for the PLENA baseline templates (see matmul_blocks.h).
#include "matmul_blocks.h"
