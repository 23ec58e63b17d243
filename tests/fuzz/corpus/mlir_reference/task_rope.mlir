// RoPE (rotate-half), per head h of D columns: y = v * cos + concat(-v[D/2:], v[:D/2]) * sin, v = x[:, h*D:(h+1)*D].
// First half:  y[s, h, d]       = v[s, h, d] * cos[s, d]       - v[s, h, d + D/2] * sin[s, d]
// Second half: y[s, h, d + D/2] = v[s, h, d + D/2] * cos[s, d + D/2] + v[s, h, d] * sin[s, d + D/2]
#x3 = affine_map<(s, h, d) -> (s, h, d)>
#cs = affine_map<(s, h, d) -> (s, d)>
func.func @rope(%x: tensor<${S}x${NH*D}xf32>, %cos: tensor<${S}x${D}xf32>, %sin: tensor<${S}x${D}xf32>) -> tensor<${S}x${NH*D}xf32> {
  %v = tensor.expand_shape %x [[0], [1, 2]] : tensor<${S}x${NH*D}xf32> into tensor<${S}x${NH}x${D}xf32>
  %v1 = tensor.extract_slice %v[0, 0, 0] [${S}, ${NH}, ${D/2}] [1, 1, 1] : tensor<${S}x${NH}x${D}xf32> to tensor<${S}x${NH}x${D/2}xf32>
  %v2 = tensor.extract_slice %v[0, 0, ${D/2}] [${S}, ${NH}, ${D/2}] [1, 1, 1] : tensor<${S}x${NH}x${D}xf32> to tensor<${S}x${NH}x${D/2}xf32>
  %c1 = tensor.extract_slice %cos[0, 0] [${S}, ${D/2}] [1, 1] : tensor<${S}x${D}xf32> to tensor<${S}x${D/2}xf32>
  %c2 = tensor.extract_slice %cos[0, ${D/2}] [${S}, ${D/2}] [1, 1] : tensor<${S}x${D}xf32> to tensor<${S}x${D/2}xf32>
  %s1 = tensor.extract_slice %sin[0, 0] [${S}, ${D/2}] [1, 1] : tensor<${S}x${D}xf32> to tensor<${S}x${D/2}xf32>
  %s2 = tensor.extract_slice %sin[0, ${D/2}] [${S}, ${D/2}] [1, 1] : tensor<${S}x${D}xf32> to tensor<${S}x${D/2}xf32>
  %half = tensor.empty() : tensor<${S}x${NH}x${D/2}xf32>
  %y1 = linalg.generic {indexing_maps = [#x3, #x3, #cs, #cs, #x3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%v1, %v2, %c1, %s1 : tensor<${S}x${NH}x${D/2}xf32>, tensor<${S}x${NH}x${D/2}xf32>, tensor<${S}x${D/2}xf32>, tensor<${S}x${D/2}xf32>)
      outs(%half : tensor<${S}x${NH}x${D/2}xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %s: f32, %o: f32):
    %ac = arith.mulf %a, %c : f32
    %bs = arith.mulf %b, %s : f32
    %r = arith.subf %ac, %bs : f32
    linalg.yield %r : f32
  } -> tensor<${S}x${NH}x${D/2}xf32>
  %y2 = linalg.generic {indexing_maps = [#x3, #x3, #cs, #cs, #x3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%v2, %v1, %c2, %s2 : tensor<${S}x${NH}x${D/2}xf32>, tensor<${S}x${NH}x${D/2}xf32>, tensor<${S}x${D/2}xf32>, tensor<${S}x${D/2}xf32>)
      outs(%half : tensor<${S}x${NH}x${D/2}xf32>) {
  ^bb0(%b: f32, %a: f32, %c: f32, %s: f32, %o: f32):
    %bc = arith.mulf %b, %c : f32
    %as = arith.mulf %a, %s : f32
    %r = arith.addf %bc, %as : f32
    linalg.yield %r : f32
  } -> tensor<${S}x${NH}x${D/2}xf32>
  %full = tensor.empty() : tensor<${S}x${NH}x${D}xf32>
  %t1 = tensor.insert_slice %y1 into %full[0, 0, 0] [${S}, ${NH}, ${D/2}] [1, 1, 1] : tensor<${S}x${NH}x${D/2}xf32> into tensor<${S}x${NH}x${D}xf32>
  %t2 = tensor.insert_slice %y2 into %t1[0, 0, ${D/2}] [${S}, ${NH}, ${D/2}] [1, 1, 1] : tensor<${S}x${NH}x${D/2}xf32> into tensor<${S}x${NH}x${D}xf32>
  %y = tensor.collapse_shape %t2 [[0], [1, 2]] : tensor<${S}x${NH}x${D}xf32> into tensor<${S}x${NH*D}xf32>
  return %y : tensor<${S}x${NH*D}xf32>
}
