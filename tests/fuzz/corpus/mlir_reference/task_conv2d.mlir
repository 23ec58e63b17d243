// Conv2D (NHWC, batch 1 folded away, 3x3, stride 1, no padding): y[i, j, f] = sum_{p, q, c} x[i+p, j+q, c] * w[p, q, c, f].
func.func @conv2d(%x: tensor<${H}x${W}x${C}xf32>, %w: tensor<3x3x${C}x${F}xf32>) -> tensor<${H-2}x${W-2}x${F}xf32> {
  %zero = arith.constant 0.0 : f32
  %x4 = tensor.expand_shape %x [[0, 1], [2], [3]] : tensor<${H}x${W}x${C}xf32> into tensor<1x${H}x${W}x${C}xf32>
  %empty = tensor.empty() : tensor<1x${H-2}x${W-2}x${F}xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x${H-2}x${W-2}x${F}xf32>) -> tensor<1x${H-2}x${W-2}x${F}xf32>
  %y4 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x4, %w : tensor<1x${H}x${W}x${C}xf32>, tensor<3x3x${C}x${F}xf32>)
      outs(%acc : tensor<1x${H-2}x${W-2}x${F}xf32>) -> tensor<1x${H-2}x${W-2}x${F}xf32>
  %y = tensor.collapse_shape %y4 [[0, 1], [2], [3]] : tensor<1x${H-2}x${W-2}x${F}xf32> into tensor<${H-2}x${W-2}x${F}xf32>
  return %y : tensor<${H-2}x${W-2}x${F}xf32>
}
