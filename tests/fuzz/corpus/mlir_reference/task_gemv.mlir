// GEMV: y[n] = sum_k A[n, k] * x[k].
func.func @gemv(%A: tensor<${N}x${K}xf32>, %x: tensor<${K}xf32>) -> tensor<${N}xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<${N}xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<${N}xf32>) -> tensor<${N}xf32>
  %y = linalg.matvec ins(%A, %x : tensor<${N}x${K}xf32>, tensor<${K}xf32>) outs(%acc : tensor<${N}xf32>) -> tensor<${N}xf32>
  return %y : tensor<${N}xf32>
}
