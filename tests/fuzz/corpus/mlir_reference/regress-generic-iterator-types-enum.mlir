#id = affine_map<(n, d) -> (n, d)>
func.func @rms_norm(%x: tensor<8x128xf32>, %g: tensor<128xf32>) -> tensor<8x128xf32> {
  %e = tensor.empty() : tensor<8x128xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>]}
      ins(%x : tensor<8x128xf32>) outs(%e : tensor<8x128xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<8x128xf32>
  return %y : tensor<8x128xf32>
}
