// DPI-C functions the RTL imports (plena_fp_pkg.sv).
#include <cmath>

#include "Vplena_core__Dpi.h"

// Behavioural stand-in for the exp LUT unit: the same libm expf sim/plena calls through
// std::exp(float). The argument and result are FP32 values carried in doubles.
double plena_dpi_expf(double x) {
  return static_cast<double>(std::exp(static_cast<float>(x)));
}
