// FFN: y = gelu_tanh(x w1 + b1) w2 + b2, gelu_tanh(u) = half * u * (1 + tanh(sqrt_2_over_pi * (u + gelu_coeff * u^3))).
#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
func.func @ffn(%x: tensor<${S}x${H}xf32>, %w1: tensor<${H}x${F}xf32>, %b1: tensor<${F}xf32>,
               %w2: tensor<${F}x${H}xf32>, %b2: tensor<${H}xf32>) -> tensor<${S}x${H}xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %half = arith.constant ${half} : f32
  %c0 = arith.constant ${sqrt_2_over_pi} : f32
  %c1 = arith.constant ${gelu_coeff} : f32
  // a = gelu(x w1 + b1)
  %ef = tensor.empty() : tensor<${S}x${F}xf32>
  %zf = linalg.fill ins(%zero : f32) outs(%ef : tensor<${S}x${F}xf32>) -> tensor<${S}x${F}xf32>
  %u = linalg.matmul ins(%x, %w1 : tensor<${S}x${H}xf32>, tensor<${H}x${F}xf32>) outs(%zf : tensor<${S}x${F}xf32>) -> tensor<${S}x${F}xf32>
  %a = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%u, %b1 : tensor<${S}x${F}xf32>, tensor<${F}xf32>) outs(%ef : tensor<${S}x${F}xf32>) {
  ^bb0(%in: f32, %b: f32, %o: f32):
    %t0 = arith.addf %in, %b : f32
    %t2 = arith.mulf %t0, %t0 : f32
    %t3 = arith.mulf %t2, %t0 : f32
    %ct3 = arith.mulf %t3, %c1 : f32
    %inner = arith.addf %t0, %ct3 : f32
    %arg = arith.mulf %inner, %c0 : f32
    %th = math.tanh %arg : f32
    %onep = arith.addf %th, %one : f32
    %ht = arith.mulf %t0, %half : f32
    %g = arith.mulf %ht, %onep : f32
    linalg.yield %g : f32
  } -> tensor<${S}x${F}xf32>
  // y = a w2 + b2
  %eh = tensor.empty() : tensor<${S}x${H}xf32>
  %zh = linalg.fill ins(%zero : f32) outs(%eh : tensor<${S}x${H}xf32>) -> tensor<${S}x${H}xf32>
  %p = linalg.matmul ins(%a, %w2 : tensor<${S}x${F}xf32>, tensor<${F}x${H}xf32>) outs(%zh : tensor<${S}x${H}xf32>) -> tensor<${S}x${H}xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%p, %b2 : tensor<${S}x${H}xf32>, tensor<${H}xf32>) outs(%eh : tensor<${S}x${H}xf32>) {
  ^bb0(%in: f32, %b: f32, %o: f32):
    %r = arith.addf %in, %b : f32
    linalg.yield %r : f32
  } -> tensor<${S}x${H}xf32>
  return %y : tensor<${S}x${H}xf32>
}
