// GQA (no mask, no biases): y = concat_h softmax(Q_h K_g^T * scale) V_g . wo, g = h floordiv (NH/NKV), Q = x wq, K = x wk, V = x wv.
#id2 = affine_map<(i, j) -> (i, j)>
#row2 = affine_map<(i, j) -> (i)>
#col2 = affine_map<(i, j) -> (j)>
#id3 = affine_map<(h, i, j) -> (h, i, j)>
#row3 = affine_map<(h, i, j) -> (h, i)>
#to_hsd = affine_map<(h, s, d) -> (s, h, d)>
#from_hsd = affine_map<(s, h, d) -> (h, s, d)>
// query head h reads key/value head h floordiv (NH/NKV)
#k_t = affine_map<(h, d, s) -> (s, h floordiv ${NH/NKV}, d)>
#v_h = affine_map<(h, s, d) -> (s, h floordiv ${NH/NKV}, d)>
func.func @gqa(%x: tensor<${S}x${NH*D}xf32>, %wq: tensor<${NH*D}x${NH*D}xf32>, %wk: tensor<${NH*D}x${NKV*D}xf32>, %wv: tensor<${NH*D}x${NKV*D}xf32>,
               %wo: tensor<${NH*D}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %scale = arith.constant ${scale} : f32
  // projections
  %zq_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %zq = linalg.fill ins(%zero : f32) outs(%zq_e : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  %q = linalg.matmul ins(%x, %wq : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${NH*D}xf32>) outs(%zq : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  %zkv_e = tensor.empty() : tensor<${S}x${NKV*D}xf32>
  %zkv = linalg.fill ins(%zero : f32) outs(%zkv_e : tensor<${S}x${NKV*D}xf32>) -> tensor<${S}x${NKV*D}xf32>
  %k = linalg.matmul ins(%x, %wk : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${NKV*D}xf32>) outs(%zkv : tensor<${S}x${NKV*D}xf32>) -> tensor<${S}x${NKV*D}xf32>
  %v = linalg.matmul ins(%x, %wv : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${NKV*D}xf32>) outs(%zkv : tensor<${S}x${NKV*D}xf32>) -> tensor<${S}x${NKV*D}xf32>
  // split heads: Q -> [NH, S, D], K -> K^T per query head [NH, D, S], V -> [NH, S, D]
  %q3 = tensor.expand_shape %q [[0], [1, 2]] : tensor<${S}x${NH*D}xf32> into tensor<${S}x${NH}x${D}xf32>
  %k3 = tensor.expand_shape %k [[0], [1, 2]] : tensor<${S}x${NKV*D}xf32> into tensor<${S}x${NKV}x${D}xf32>
  %v3 = tensor.expand_shape %v [[0], [1, 2]] : tensor<${S}x${NKV*D}xf32> into tensor<${S}x${NKV}x${D}xf32>
  %qh_e = tensor.empty() : tensor<${NH}x${S}x${D}xf32>
  %qh = linalg.generic {indexing_maps = [#to_hsd, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%q3 : tensor<${S}x${NH}x${D}xf32>) outs(%qh_e : tensor<${NH}x${S}x${D}xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<${NH}x${S}x${D}xf32>
  %kt_e = tensor.empty() : tensor<${NH}x${D}x${S}xf32>
  %kt = linalg.generic {indexing_maps = [#k_t, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%k3 : tensor<${S}x${NKV}x${D}xf32>) outs(%kt_e : tensor<${NH}x${D}x${S}xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<${NH}x${D}x${S}xf32>
  %vh_e = tensor.empty() : tensor<${NH}x${S}x${D}xf32>
  %vh = linalg.generic {indexing_maps = [#v_h, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%v3 : tensor<${S}x${NKV}x${D}xf32>) outs(%vh_e : tensor<${NH}x${S}x${D}xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<${NH}x${S}x${D}xf32>
  // scores[h] = Q_h (K^T for the key head that query head h reads)
  %sc0_e = tensor.empty() : tensor<${NH}x${S}x${S}xf32>
  %sc0 = linalg.fill ins(%zero : f32) outs(%sc0_e : tensor<${NH}x${S}x${S}xf32>) -> tensor<${NH}x${S}x${S}xf32>
  %sc = linalg.batch_matmul ins(%qh, %kt : tensor<${NH}x${S}x${D}xf32>, tensor<${NH}x${D}x${S}xf32>) outs(%sc0 : tensor<${NH}x${S}x${S}xf32>) -> tensor<${NH}x${S}x${S}xf32>
  // p = softmax(scores * scale) over keys (scale > 0, so the row max of the raw scores is used)
  %hrows = tensor.empty() : tensor<${NH}x${S}xf32>
  %max0 = linalg.fill ins(%ninf : f32) outs(%hrows : tensor<${NH}x${S}xf32>) -> tensor<${NH}x${S}xf32>
  %max = linalg.generic {indexing_maps = [#id3, #row3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sc : tensor<${NH}x${S}x${S}xf32>) outs(%max0 : tensor<${NH}x${S}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maxf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<${NH}x${S}xf32>
  %ex_e = tensor.empty() : tensor<${NH}x${S}x${S}xf32>
  %ex = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sc, %max : tensor<${NH}x${S}x${S}xf32>, tensor<${NH}x${S}xf32>) outs(%ex_e : tensor<${NH}x${S}x${S}xf32>) {
  ^bb0(%in: f32, %m: f32, %o: f32):
    %d = arith.subf %in, %m : f32
    %ds = arith.mulf %d, %scale : f32
    %xp = math.exp %ds : f32
    linalg.yield %xp : f32
  } -> tensor<${NH}x${S}x${S}xf32>
  %sum0 = linalg.fill ins(%zero : f32) outs(%hrows : tensor<${NH}x${S}xf32>) -> tensor<${NH}x${S}xf32>
  %sum = linalg.generic {indexing_maps = [#id3, #row3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ex : tensor<${NH}x${S}x${S}xf32>) outs(%sum0 : tensor<${NH}x${S}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<${NH}x${S}xf32>
  %p = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ex, %sum : tensor<${NH}x${S}x${S}xf32>, tensor<${NH}x${S}xf32>) outs(%ex_e : tensor<${NH}x${S}x${S}xf32>) {
  ^bb0(%in: f32, %t: f32, %o: f32):
    %r = arith.divf %in, %t : f32
    linalg.yield %r : f32
  } -> tensor<${NH}x${S}x${S}xf32>
  // O_h = p[h] V_h, then heads back to [S, NH*D] (head h in columns h*D .. h*D+D-1)
  %oh0_e = tensor.empty() : tensor<${NH}x${S}x${D}xf32>
  %oh0 = linalg.fill ins(%zero : f32) outs(%oh0_e : tensor<${NH}x${S}x${D}xf32>) -> tensor<${NH}x${S}x${D}xf32>
  %oh = linalg.batch_matmul ins(%p, %vh : tensor<${NH}x${S}x${S}xf32>, tensor<${NH}x${S}x${D}xf32>) outs(%oh0 : tensor<${NH}x${S}x${D}xf32>) -> tensor<${NH}x${S}x${D}xf32>
  %o3_e = tensor.empty() : tensor<${S}x${NH}x${D}xf32>
  %o3 = linalg.generic {indexing_maps = [#from_hsd, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%oh : tensor<${NH}x${S}x${D}xf32>) outs(%o3_e : tensor<${S}x${NH}x${D}xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<${S}x${NH}x${D}xf32>
  %heads = tensor.collapse_shape %o3 [[0], [1, 2]] : tensor<${S}x${NH}x${D}xf32> into tensor<${S}x${NH*D}xf32>
  // output projection
  %zy_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %zy = linalg.fill ins(%zero : f32) outs(%zy_e : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  %y = linalg.matmul ins(%heads, %wo : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${NH*D}xf32>) outs(%zy : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  return %y : tensor<${S}x${NH*D}xf32>
}
