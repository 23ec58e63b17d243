// LLaMA decoder block (pre-norm, no mask, no biases): h = x + GQA(rope, rmsnorm(x) * g1) wo;  y = h + (silu(v w_gate) * (v w_up)) w_down, v = rmsnorm(h) * g2.
#id2 = affine_map<(i, j) -> (i, j)>
#row2 = affine_map<(i, j) -> (i)>
#col2 = affine_map<(i, j) -> (j)>
#id3 = affine_map<(h, i, j) -> (h, i, j)>
#row3 = affine_map<(h, i, j) -> (h, i)>
#to_hsd = affine_map<(h, s, d) -> (s, h, d)>
#from_hsd = affine_map<(s, h, d) -> (h, s, d)>
#cs3 = affine_map<(h, s, d) -> (s, d)>
// query head h reads key/value head h floordiv (NH/NKV); K is stored head-major [NKV, S, D] after RoPE
#k_t = affine_map<(h, d, s) -> (h floordiv ${NH/NKV}, s, d)>
#v_h = affine_map<(h, s, d) -> (s, h floordiv ${NH/NKV}, d)>
func.func @decoder_block_llama(%x: tensor<${S}x${NH*D}xf32>, %g1: tensor<${NH*D}xf32>, %wq: tensor<${NH*D}x${NH*D}xf32>, %wk: tensor<${NH*D}x${NKV*D}xf32>,
                               %wv: tensor<${NH*D}x${NKV*D}xf32>, %wo: tensor<${NH*D}x${NH*D}xf32>, %cos: tensor<${S}x${D}xf32>, %sin: tensor<${S}x${D}xf32>,
                               %g2: tensor<${NH*D}xf32>, %w_gate: tensor<${NH*D}x${F}xf32>, %w_up: tensor<${NH*D}x${F}xf32>,
                               %w_down: tensor<${F}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %eps = arith.constant ${eps} : f32
  %inv_dm = arith.constant ${inv_dm} : f32
  %scale = arith.constant ${scale} : f32
  // u = rmsnorm(x) * g1
  %n1_rows = tensor.empty() : tensor<${S}xf32>
  %n1_acc = linalg.fill ins(%zero : f32) outs(%n1_rows : tensor<${S}xf32>) -> tensor<${S}xf32>
  %n1_sq = linalg.generic {indexing_maps = [#id2, #row2], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<${S}x${NH*D}xf32>) outs(%n1_acc : tensor<${S}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %p2 = arith.mulf %in, %in : f32
    %a = arith.addf %p2, %acc : f32
    linalg.yield %a : f32
  } -> tensor<${S}xf32>
  %n1_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %u = linalg.generic {indexing_maps = [#id2, #row2, #col2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %n1_sq, %g1 : tensor<${S}x${NH*D}xf32>, tensor<${S}xf32>, tensor<${NH*D}xf32>) outs(%n1_e : tensor<${S}x${NH*D}xf32>) {
  ^bb0(%in: f32, %s: f32, %gw: f32, %o: f32):
    %ms = arith.mulf %s, %inv_dm : f32
    %me = arith.addf %ms, %eps : f32
    %r = math.rsqrt %me : f32
    %n = arith.mulf %in, %r : f32
    %ng = arith.mulf %n, %gw : f32
    linalg.yield %ng : f32
  } -> tensor<${S}x${NH*D}xf32>
  // projections
  %zq_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %zq = linalg.fill ins(%zero : f32) outs(%zq_e : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  %q = linalg.matmul ins(%u, %wq : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${NH*D}xf32>) outs(%zq : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  %zkv_e = tensor.empty() : tensor<${S}x${NKV*D}xf32>
  %zkv = linalg.fill ins(%zero : f32) outs(%zkv_e : tensor<${S}x${NKV*D}xf32>) -> tensor<${S}x${NKV*D}xf32>
  %k = linalg.matmul ins(%u, %wk : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${NKV*D}xf32>) outs(%zkv : tensor<${S}x${NKV*D}xf32>) -> tensor<${S}x${NKV*D}xf32>
  %v = linalg.matmul ins(%u, %wv : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${NKV*D}xf32>) outs(%zkv : tensor<${S}x${NKV*D}xf32>) -> tensor<${S}x${NKV*D}xf32>
  %q3 = tensor.expand_shape %q [[0], [1, 2]] : tensor<${S}x${NH*D}xf32> into tensor<${S}x${NH}x${D}xf32>
  %k3 = tensor.expand_shape %k [[0], [1, 2]] : tensor<${S}x${NKV*D}xf32> into tensor<${S}x${NKV}x${D}xf32>
  %v3 = tensor.expand_shape %v [[0], [1, 2]] : tensor<${S}x${NKV*D}xf32> into tensor<${S}x${NKV}x${D}xf32>
  // RoPE (rotate-half) on every head of Q and K, written head-major:
  //   r[.., d] = t[d] * cos[s, d] - t[d + D/2] * sin[s, d],  r[.., d + D/2] = t[d + D/2] * cos[s, d + D/2] + t[d] * sin[s, d + D/2]
  %c1 = tensor.extract_slice %cos[0, 0] [${S}, ${D/2}] [1, 1] : tensor<${S}x${D}xf32> to tensor<${S}x${D/2}xf32>
  %c2 = tensor.extract_slice %cos[0, ${D/2}] [${S}, ${D/2}] [1, 1] : tensor<${S}x${D}xf32> to tensor<${S}x${D/2}xf32>
  %s1 = tensor.extract_slice %sin[0, 0] [${S}, ${D/2}] [1, 1] : tensor<${S}x${D}xf32> to tensor<${S}x${D/2}xf32>
  %s2 = tensor.extract_slice %sin[0, ${D/2}] [${S}, ${D/2}] [1, 1] : tensor<${S}x${D}xf32> to tensor<${S}x${D/2}xf32>
  %qh_v1 = tensor.extract_slice %q3[0, 0, 0] [${S}, ${NH}, ${D/2}] [1, 1, 1] : tensor<${S}x${NH}x${D}xf32> to tensor<${S}x${NH}x${D/2}xf32>
  %qh_v2 = tensor.extract_slice %q3[0, 0, ${D/2}] [${S}, ${NH}, ${D/2}] [1, 1, 1] : tensor<${S}x${NH}x${D}xf32> to tensor<${S}x${NH}x${D/2}xf32>
  %qh_he = tensor.empty() : tensor<${NH}x${S}x${D/2}xf32>
  %qh_a = linalg.generic {indexing_maps = [#to_hsd, #to_hsd, #cs3, #cs3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qh_v1, %qh_v2, %c1, %s1 : tensor<${S}x${NH}x${D/2}xf32>, tensor<${S}x${NH}x${D/2}xf32>, tensor<${S}x${D/2}xf32>, tensor<${S}x${D/2}xf32>) outs(%qh_he : tensor<${NH}x${S}x${D/2}xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %s: f32, %o: f32):
    %ac = arith.mulf %a, %c : f32
    %bs = arith.mulf %b, %s : f32
    %r = arith.subf %ac, %bs : f32
    linalg.yield %r : f32
  } -> tensor<${NH}x${S}x${D/2}xf32>
  %qh_b = linalg.generic {indexing_maps = [#to_hsd, #to_hsd, #cs3, #cs3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%qh_v2, %qh_v1, %c2, %s2 : tensor<${S}x${NH}x${D/2}xf32>, tensor<${S}x${NH}x${D/2}xf32>, tensor<${S}x${D/2}xf32>, tensor<${S}x${D/2}xf32>) outs(%qh_he : tensor<${NH}x${S}x${D/2}xf32>) {
  ^bb0(%b: f32, %a: f32, %c: f32, %s: f32, %o: f32):
    %bc = arith.mulf %b, %c : f32
    %as = arith.mulf %a, %s : f32
    %r = arith.addf %bc, %as : f32
    linalg.yield %r : f32
  } -> tensor<${NH}x${S}x${D/2}xf32>
  %qh_e = tensor.empty() : tensor<${NH}x${S}x${D}xf32>
  %qh_t = tensor.insert_slice %qh_a into %qh_e[0, 0, 0] [${NH}, ${S}, ${D/2}] [1, 1, 1] : tensor<${NH}x${S}x${D/2}xf32> into tensor<${NH}x${S}x${D}xf32>
  %qh = tensor.insert_slice %qh_b into %qh_t[0, 0, ${D/2}] [${NH}, ${S}, ${D/2}] [1, 1, 1] : tensor<${NH}x${S}x${D/2}xf32> into tensor<${NH}x${S}x${D}xf32>
  %kr_v1 = tensor.extract_slice %k3[0, 0, 0] [${S}, ${NKV}, ${D/2}] [1, 1, 1] : tensor<${S}x${NKV}x${D}xf32> to tensor<${S}x${NKV}x${D/2}xf32>
  %kr_v2 = tensor.extract_slice %k3[0, 0, ${D/2}] [${S}, ${NKV}, ${D/2}] [1, 1, 1] : tensor<${S}x${NKV}x${D}xf32> to tensor<${S}x${NKV}x${D/2}xf32>
  %kr_he = tensor.empty() : tensor<${NKV}x${S}x${D/2}xf32>
  %kr_a = linalg.generic {indexing_maps = [#to_hsd, #to_hsd, #cs3, #cs3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%kr_v1, %kr_v2, %c1, %s1 : tensor<${S}x${NKV}x${D/2}xf32>, tensor<${S}x${NKV}x${D/2}xf32>, tensor<${S}x${D/2}xf32>, tensor<${S}x${D/2}xf32>) outs(%kr_he : tensor<${NKV}x${S}x${D/2}xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %s: f32, %o: f32):
    %ac = arith.mulf %a, %c : f32
    %bs = arith.mulf %b, %s : f32
    %r = arith.subf %ac, %bs : f32
    linalg.yield %r : f32
  } -> tensor<${NKV}x${S}x${D/2}xf32>
  %kr_b = linalg.generic {indexing_maps = [#to_hsd, #to_hsd, #cs3, #cs3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%kr_v2, %kr_v1, %c2, %s2 : tensor<${S}x${NKV}x${D/2}xf32>, tensor<${S}x${NKV}x${D/2}xf32>, tensor<${S}x${D/2}xf32>, tensor<${S}x${D/2}xf32>) outs(%kr_he : tensor<${NKV}x${S}x${D/2}xf32>) {
  ^bb0(%b: f32, %a: f32, %c: f32, %s: f32, %o: f32):
    %bc = arith.mulf %b, %c : f32
    %as = arith.mulf %a, %s : f32
    %r = arith.addf %bc, %as : f32
    linalg.yield %r : f32
  } -> tensor<${NKV}x${S}x${D/2}xf32>
  %kr_e = tensor.empty() : tensor<${NKV}x${S}x${D}xf32>
  %kr_t = tensor.insert_slice %kr_a into %kr_e[0, 0, 0] [${NKV}, ${S}, ${D/2}] [1, 1, 1] : tensor<${NKV}x${S}x${D/2}xf32> into tensor<${NKV}x${S}x${D}xf32>
  %kr = tensor.insert_slice %kr_b into %kr_t[0, 0, ${D/2}] [${NKV}, ${S}, ${D/2}] [1, 1, 1] : tensor<${NKV}x${S}x${D/2}xf32> into tensor<${NKV}x${S}x${D}xf32>
  // K^T and V per query head
  %kt_e = tensor.empty() : tensor<${NH}x${D}x${S}xf32>
  %kt = linalg.generic {indexing_maps = [#k_t, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%kr : tensor<${NKV}x${S}x${D}xf32>) outs(%kt_e : tensor<${NH}x${D}x${S}xf32>) {
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
  // h = x + O wo
  %za_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %za = linalg.fill ins(%zero : f32) outs(%za_e : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  %attn = linalg.matmul ins(%heads, %wo : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${NH*D}xf32>) outs(%za : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  %h_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %h = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %attn : tensor<${S}x${NH*D}xf32>, tensor<${S}x${NH*D}xf32>) outs(%h_e : tensor<${S}x${NH*D}xf32>) {
  ^bb0(%ra: f32, %rb: f32, %o: f32):
    %r = arith.addf %ra, %rb : f32
    linalg.yield %r : f32
  } -> tensor<${S}x${NH*D}xf32>
  // v2 = rmsnorm(h) * g2; SwiGLU feed-forward
  %n2_rows = tensor.empty() : tensor<${S}xf32>
  %n2_acc = linalg.fill ins(%zero : f32) outs(%n2_rows : tensor<${S}xf32>) -> tensor<${S}xf32>
  %n2_sq = linalg.generic {indexing_maps = [#id2, #row2], iterator_types = ["parallel", "reduction"]}
      ins(%h : tensor<${S}x${NH*D}xf32>) outs(%n2_acc : tensor<${S}xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %p2 = arith.mulf %in, %in : f32
    %a = arith.addf %p2, %acc : f32
    linalg.yield %a : f32
  } -> tensor<${S}xf32>
  %n2_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %hn = linalg.generic {indexing_maps = [#id2, #row2, #col2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%h, %n2_sq, %g2 : tensor<${S}x${NH*D}xf32>, tensor<${S}xf32>, tensor<${NH*D}xf32>) outs(%n2_e : tensor<${S}x${NH*D}xf32>) {
  ^bb0(%in: f32, %s: f32, %gw: f32, %o: f32):
    %ms = arith.mulf %s, %inv_dm : f32
    %me = arith.addf %ms, %eps : f32
    %r = math.rsqrt %me : f32
    %n = arith.mulf %in, %r : f32
    %ng = arith.mulf %n, %gw : f32
    linalg.yield %ng : f32
  } -> tensor<${S}x${NH*D}xf32>
  %zf_e = tensor.empty() : tensor<${S}x${F}xf32>
  %zf = linalg.fill ins(%zero : f32) outs(%zf_e : tensor<${S}x${F}xf32>) -> tensor<${S}x${F}xf32>
  %gate = linalg.matmul ins(%hn, %w_gate : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${F}xf32>) outs(%zf : tensor<${S}x${F}xf32>) -> tensor<${S}x${F}xf32>
  %up = linalg.matmul ins(%hn, %w_up : tensor<${S}x${NH*D}xf32>, tensor<${NH*D}x${F}xf32>) outs(%zf : tensor<${S}x${F}xf32>) -> tensor<${S}x${F}xf32>
  %act_e = tensor.empty() : tensor<${S}x${F}xf32>
  %act = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%gate, %up : tensor<${S}x${F}xf32>, tensor<${S}x${F}xf32>) outs(%act_e : tensor<${S}x${F}xf32>) {
  ^bb0(%gv: f32, %uv: f32, %o: f32):
    %neg = arith.negf %gv : f32
    %en = math.exp %neg : f32
    %den = arith.addf %en, %one : f32
    %silu = arith.divf %gv, %den : f32
    %r = arith.mulf %silu, %uv : f32
    linalg.yield %r : f32
  } -> tensor<${S}x${F}xf32>
  %zd_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %zd = linalg.fill ins(%zero : f32) outs(%zd_e : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  %down = linalg.matmul ins(%act, %w_down : tensor<${S}x${F}xf32>, tensor<${F}x${NH*D}xf32>) outs(%zd : tensor<${S}x${NH*D}xf32>) -> tensor<${S}x${NH*D}xf32>
  // y = h + ffn
  %y_e = tensor.empty() : tensor<${S}x${NH*D}xf32>
  %y = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%h, %down : tensor<${S}x${NH*D}xf32>, tensor<${S}x${NH*D}xf32>) outs(%y_e : tensor<${S}x${NH*D}xf32>) {
  ^bb0(%ra: f32, %rb: f32, %o: f32):
    %r = arith.addf %ra, %rb : f32
    linalg.yield %r : f32
  } -> tensor<${S}x${NH*D}xf32>
  return %y : tensor<${S}x${NH*D}xf32>
}
