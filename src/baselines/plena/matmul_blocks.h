// matmul building blocks for the PLENA baseline templates.
#pragma once

#include "blocks.h"
