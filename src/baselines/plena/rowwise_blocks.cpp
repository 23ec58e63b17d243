// rowwise building blocks for the PLENA baseline templates (see rowwise_blocks.h).
#include "rowwise_blocks.h"
