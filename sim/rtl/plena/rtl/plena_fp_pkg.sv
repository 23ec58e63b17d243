// Number formats of the PLENA core: BF16 (on-chip storage), FP32 (arithmetic and the
// systolic accumulators), OCP MX E4M3 elements with E8M0 shared scales (HBM).
//
// Arithmetic is behavioural: an FP32 operation is done in `real` (IEEE double) and rounded
// once to FP32 with round-to-nearest-even. Double has 53 >= 2*24+2 significand bits, so that
// double rounding is innocuous for +, -, *, / and sqrt: the result equals a native FP32
// operation, which is what sim/plena computes (float ops, then round_to_bf16).
package plena_fp_pkg;

  // Behavioural stand-in for the LUT unit: exp has no exact closed form, so the vector and
  // scalar units call the libm expf that sim/plena uses (std::exp(float)).
  import "DPI-C" pure function real plena_dpi_expf(input real x);

  // x >> sh rounded to nearest, ties to even (sh >= 0).
  function automatic logic [63:0] rne_shr(input logic [63:0] x, input int sh);
    logic [63:0] q, rem, half;
    if (sh <= 0) return x << (-sh);
    if (sh >= 64) return 64'd0;  // callers pass x < 2^62, so the value is < 1/2
    q = x >> sh;
    rem = x & ((64'd1 << sh) - 64'd1);
    half = 64'd1 << (sh - 1);
    if (rem > half || (rem == half && q[0])) q = q + 64'd1;
    return q;
  endfunction

  // Index of the most significant set bit (x != 0).
  function automatic int msb_index(input logic [63:0] x);
    for (int i = 63; i >= 0; i--) if (x[i]) return i;
    return 0;
  endfunction

  function automatic logic f32_is_nan(input logic [31:0] b);
    return b[30:23] == 8'hFF && b[22:0] != 0;
  endfunction

  function automatic real f32_to_real(input logic [31:0] b);
    logic [10:0] e;
    logic [51:0] m;
    int p;
    if (b[30:23] == 8'hFF) return $bitstoreal({b[31], 11'h7FF, b[22:0], 29'h0});
    if (b[30:23] == 8'h00) begin
      if (b[22:0] == 0) return $bitstoreal({b[31], 63'h0});
      p = msb_index({41'h0, b[22:0]});  // value = 2^(p-149) * 1.f
      e = 11'(p - 149 + 1023);
      m = 52'({29'h0, b[22:0]} << (52 - p));
      return $bitstoreal({b[31], e, m});
    end
    e = 11'(int'(b[30:23]) - 127 + 1023);
    return $bitstoreal({b[31], e, b[22:0], 29'h0});
  endfunction

  // Round a double to FP32, ties to even; NaN stays NaN with its sign.
  function automatic logic [31:0] real_to_f32(input real r);
    logic [63:0] d, n;
    logic [31:0] mag;
    int ex, sh;
    d = $realtobits(r);
    if (d[62:52] == 11'h7FF)
      return d[51:0] != 0 ? {d[63], 8'hFF, 1'b1, d[50:29]} : {d[63], 8'hFF, 23'h0};
    if (d[62:52] == 0) return {d[63], 31'h0};  // below 2^-1022: rounds to zero in FP32
    ex = int'(d[62:52]) - 1023;
    if (ex > 127) return {d[63], 8'hFF, 23'h0};
    sh = ex >= -126 ? 29 : -97 - ex;  // subnormal FP32 quantum is 2^-149
    n = rne_shr({11'h0, 1'b1, d[51:0]}, sh);
    // A rounding carry (n == 2^24, or 2^23 for a subnormal) moves into the exponent field.
    mag = ex >= -126 ? 32'((64'(ex + 127) << 23) + n - 64'h800000) : n[31:0];
    return {d[63], mag[30:0]};
  endfunction

  // sim/plena's round_bits_to_bf16: RNE; every NaN becomes the one canonical quiet NaN 0x7FC0
  // (sign dropped), so which NaN operand an operation propagated never shows in stored state.
  function automatic logic [15:0] f32_to_bf16(input logic [31:0] b);
    logic [31:0] r;
    if (b[30:0] > 31'h7F800000) return 16'h7FC0;
    r = b + 32'h7FFF + {31'h0, b[16]};
    return r[31:16];
  endfunction

  function automatic logic [31:0] bf16_to_f32(input logic [15:0] h);
    return {h, 16'h0};
  endfunction

  // x86 SSE propagates the first NaN operand (quietened) of `a op b`; double arithmetic would
  // too, but the C++ compiler may commute the operands of the generated code, so the rule is
  // applied here explicitly. Invalid operations (inf - inf, 0 * inf) give the default NaN,
  // which is negative on x86 for float and double alike.
  function automatic logic [31:0] nan_of(input logic [31:0] a, input logic [31:0] b);
    return f32_is_nan(a) ? a | 32'h0040_0000 : b | 32'h0040_0000;
  endfunction
  function automatic logic [31:0] f32_add(input logic [31:0] a, input logic [31:0] b);
    if (f32_is_nan(a) || f32_is_nan(b)) return nan_of(a, b);
    return real_to_f32(f32_to_real(a) + f32_to_real(b));
  endfunction
  function automatic logic [31:0] f32_sub(input logic [31:0] a, input logic [31:0] b);
    if (f32_is_nan(a) || f32_is_nan(b)) return nan_of(a, b);
    return real_to_f32(f32_to_real(a) - f32_to_real(b));
  endfunction
  function automatic logic [31:0] f32_mul(input logic [31:0] a, input logic [31:0] b);
    if (f32_is_nan(a) || f32_is_nan(b)) return nan_of(a, b);
    return real_to_f32(f32_to_real(a) * f32_to_real(b));
  endfunction
  function automatic logic [31:0] f32_recip(input logic [31:0] a);
    return real_to_f32(1.0 / f32_to_real(a));
  endfunction
  function automatic logic [31:0] f32_sqrt(input logic [31:0] a);
    return real_to_f32($sqrt(f32_to_real(a)));
  endfunction
  function automatic logic [31:0] f32_exp(input logic [31:0] a);
    return real_to_f32(plena_dpi_expf(f32_to_real(a)));
  endfunction

  // glibc's fmaxf/fminf (x86-64), which sim/plena calls through std::fmax/std::fmin: a single
  // NaN operand yields the other operand, two NaNs yield x; otherwise maxss/minss semantics,
  // so equal operands (-0 and +0) yield y.
  function automatic logic [31:0] f32_max(input logic [31:0] x, input logic [31:0] y);
    if (f32_is_nan(x)) return f32_is_nan(y) ? x | 32'h0040_0000 : y;
    if (f32_is_nan(y)) return x;
    return f32_to_real(x) > f32_to_real(y) ? x : y;
  endfunction
  function automatic logic [31:0] f32_min(input logic [31:0] x, input logic [31:0] y);
    if (f32_is_nan(x)) return f32_is_nan(y) ? x | 32'h0040_0000 : y;
    if (f32_is_nan(y)) return x;
    return f32_to_real(x) < f32_to_real(y) ? x : y;
  endfunction

  // ---- OCP MX: E4M3 elements (bias 7, no inf, S.1111.111 = NaN) and E8M0 scales ----

  function automatic logic [31:0] e4m3_to_f32(input logic [7:0] b);
    int p;
    logic [22:0] m;
    if (b[6:0] == 7'h7F) return {b[7], 31'h7FC00000};
    if (b[6:3] == 0) begin
      if (b[2:0] == 0) return {b[7], 31'h0};
      p = msb_index({61'h0, b[2:0]});  // m * 2^-9 = 2^(p-9) * 1.f
      m = 23'({20'h0, b[2:0]} << (23 - p));
      return {b[7], 8'(p - 9 + 127), m};
    end
    return {b[7], 8'(int'(b[6:3]) - 7 + 127), b[2:0], 20'h0};
  endfunction

  function automatic logic [31:0] e8m0_to_f32(input logic [7:0] e);
    if (e == 8'hFF) return 32'h7FC00000;
    if (e == 8'h00) return 32'h00400000;  // 2^-127, an FP32 subnormal
    return {1'b0, e, 23'h0};
  endfunction

  // HBM -> SRAM: element * 2^(scale - 127) as an FP32 product, rounded to BF16.
  function automatic logic [15:0] mx_dequantize(input logic [7:0] elem, input logic [7:0] scale);
    return f32_to_bf16(f32_mul(e4m3_to_f32(elem), e8m0_to_f32(scale)));
  endfunction

  // floor(log2 |x|) of a finite non-zero FP32 value.
  function automatic int f32_floor_log2(input logic [31:0] b);
    if (b[30:23] == 0) return msb_index({41'h0, b[22:0]}) - 149;
    return int'(b[30:23]) - 127;
  endfunction

  // sim/plena's encode_e4m3_scaled: x * 2^-shift to E4M3, RNE, saturating at 448.
  function automatic logic [7:0] e4m3_encode_scaled(input logic [31:0] x, input int shift);
    logic [7:0] sgn;
    logic [63:0] sig, n;
    int q, e, e_eff, code;
    sgn = {x[31], 7'h0};
    if (f32_is_nan(x)) return sgn | 8'h7F;
    if (x[30:23] == 8'hFF) return sgn | 8'h7E;
    if (x[30:0] == 0) return sgn;
    e = f32_floor_log2(x) - shift;
    if (e > 8) return sgn | 8'h7E;
    e_eff = e < -6 ? -6 : e;
    if (x[30:23] == 0) begin
      sig = {41'h0, x[22:0]};
      q = -149;
    end else begin
      sig = {40'h0, 1'b1, x[22:0]};
      q = int'(x[30:23]) - 150;
    end
    // n = RNE(|x| * 2^(3 - shift - e_eff)), a quantum count below 16.
    n = rne_shr(sig, -(q - shift - e_eff + 3));
    code = ((e_eff + 6) << 3) + int'(n);
    if (code > 'h7E) code = 'h7E;
    return sgn | 8'(code);
  endfunction

  typedef struct packed {
    logic [7:0] scale;
    logic [7:0][7:0] elems;  // elems[i] is element i
  } mx_block_t;

  // One block of 8 values (FP32 bits of BF16 values) -> shared scale + E4M3 elements.
  function automatic mx_block_t mx_quantize(input logic [7:0][31:0] v);
    mx_block_t out;
    logic [30:0] amax;
    int x_exp, scale_byte;
    amax = 0;
    for (int i = 0; i < 8; i++) begin
      if (v[i][30:23] == 8'hFF) begin  // NaN or inf: the whole block becomes NaN
        out.scale = 8'hFF;
        for (int j = 0; j < 8; j++) out.elems[j] = 8'h7F;
        return out;
      end
      if (v[i][30:0] > amax) amax = v[i][30:0];  // magnitude order = bit order when finite
    end
    out.elems = '0;
    if (amax == 0) begin
      out.scale = 8'd127;
      return out;
    end
    x_exp = f32_floor_log2({1'b0, amax}) - 8;
    scale_byte = x_exp + 127;
    if (scale_byte < 0) scale_byte = 0;
    if (scale_byte > 254) scale_byte = 254;
    out.scale = 8'(scale_byte);
    for (int i = 0; i < 8; i++) out.elems[i] = e4m3_encode_scaled(v[i], scale_byte - 127);
    return out;
  endfunction

endpackage
