// ConvBlock: y[i, j, f] = relu(conv3x3_valid(x, w)[i, j, f] * scale[f] + shift[f]) (batch-norm folded into scale/shift).
#id = affine_map<(i, j, f) -> (i, j, f)>
#ch = affine_map<(i, j, f) -> (f)>
func.func @conv_block(%x: tensor<${H}x${W}x${C}xf32>, %w: tensor<3x3x${C}x${F}xf32>, %scale: tensor<${F}xf32>,
                      %shift: tensor<${F}xf32>) -> tensor<${H-2}x${W-2}x${F}xf32> {
  %zero = arith.constant 0.0 : f32
  %x4 = tensor.expand_shape %x [[0, 1], [2], [3]] : tensor<${H}x${W}x${C}xf32> into tensor<1x${H}x${W}x${C}xf32>
  %empty = tensor.empty() : tensor<1x${H-2}x${W-2}x${F}xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x${H-2}x${W-2}x${F}xf32>) -> tensor<1x${H-2}x${W-2}x${F}xf32>
  %c4 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x4, %w : tensor<1x${H}x${W}x${C}xf32>, tensor<3x3x${C}x${F}xf32>)
      outs(%acc : tensor<1x${H-2}x${W-2}x${F}xf32>) -> tensor<1x${H-2}x${W-2}x${F}xf32>
  %c = tensor.collapse_shape %c4 [[0, 1], [2], [3]] : tensor<1x${H-2}x${W-2}x${F}xf32> into tensor<${H-2}x${W-2}x${F}xf32>
  %e3 = tensor.empty() : tensor<${H-2}x${W-2}x${F}xf32>
  %y = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%c, %scale, %shift : tensor<${H-2}x${W-2}x${F}xf32>, tensor<${F}xf32>, tensor<${F}xf32>)
      outs(%e3 : tensor<${H-2}x${W-2}x${F}xf32>) {
  ^bb0(%v: f32, %s: f32, %b: f32, %o: f32):
    %vs = arith.mulf %v, %s : f32
    %vb = arith.addf %vs, %b : f32
    %r = arith.maxf %vb, %zero : f32
    linalg.yield %r : f32
  } -> tensor<${H-2}x${W-2}x${F}xf32>
  return %y : tensor<${H-2}x${W-2}x${F}xf32>
}
