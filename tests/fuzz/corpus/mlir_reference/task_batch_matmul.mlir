// Batched matmul: C[b, m, n] = sum_k A[b, m, k] * b_mat[b, k, n].
func.func @batch_matmul(%A: tensor<${B}x${M}x${K}xf32>, %b_mat: tensor<${B}x${K}x${N}xf32>) -> tensor<${B}x${M}x${N}xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<${B}x${M}x${N}xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<${B}x${M}x${N}xf32>) -> tensor<${B}x${M}x${N}xf32>
  %C = linalg.batch_matmul ins(%A, %b_mat : tensor<${B}x${M}x${K}xf32>, tensor<${B}x${K}x${N}xf32>)
                           outs(%acc : tensor<${B}x${M}x${N}xf32>) -> tensor<${B}x${M}x${N}xf32>
  return %C : tensor<${B}x${M}x${N}xf32>
}
