// attention building blocks for the PLENA baseline templates (see attention_blocks.h).
#include "attention_blocks.h"
