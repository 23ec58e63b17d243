// SwiGLU: y = (silu(x w_gate) * (x w_up)) w_down, silu(u) = u / (1 + exp(-u)), * elementwise.
#id = affine_map<(i, j) -> (i, j)>
func.func @swiglu(%x: tensor<${S}x${H}xf32>, %w_gate: tensor<${H}x${F}xf32>, %w_up: tensor<${H}x${F}xf32>,
                  %w_down: tensor<${F}x${H}xf32>) -> tensor<${S}x${H}xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %ef = tensor.empty() : tensor<${S}x${F}xf32>
  %zf = linalg.fill ins(%zero : f32) outs(%ef : tensor<${S}x${F}xf32>) -> tensor<${S}x${F}xf32>
  %gate = linalg.matmul ins(%x, %w_gate : tensor<${S}x${H}xf32>, tensor<${H}x${F}xf32>) outs(%zf : tensor<${S}x${F}xf32>) -> tensor<${S}x${F}xf32>
  %up = linalg.matmul ins(%x, %w_up : tensor<${S}x${H}xf32>, tensor<${H}x${F}xf32>) outs(%zf : tensor<${S}x${F}xf32>) -> tensor<${S}x${F}xf32>
  %a = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%gate, %up : tensor<${S}x${F}xf32>, tensor<${S}x${F}xf32>) outs(%ef : tensor<${S}x${F}xf32>) {
  ^bb0(%g: f32, %u: f32, %o: f32):
    %neg = arith.negf %g : f32
    %e = math.exp %neg : f32
    %den = arith.addf %e, %one : f32
    %silu = arith.divf %g, %den : f32
    %r = arith.mulf %silu, %u : f32
    linalg.yield %r : f32
  } -> tensor<${S}x${F}xf32>
  %eh = tensor.empty() : tensor<${S}x${H}xf32>
  %zh = linalg.fill ins(%zero : f32) outs(%eh : tensor<${S}x${H}xf32>) -> tensor<${S}x${H}xf32>
  %y = linalg.matmul ins(%a, %w_down : tensor<${S}x${F}xf32>, tensor<${F}x${H}xf32>) outs(%zh : tensor<${S}x${H}xf32>) -> tensor<${S}x${H}xf32>
  return %y : tensor<${S}x${H}xf32>
}
