// nerfaug: fused CPU kernels of the multiresolution hash encoding (tiny-cuda-nn's indexing and layout).
// Loaded by nerfaug.hashgrid.cpp_extension("hashgrid") with torch.utils.cpp_extension.load; the PyTorch
// path in nerfaug/hashgrid.py computes the same values and is the reference the tests compare against.
#include <torch/extension.h>
#include <ATen/Parallel.h>
#include <cmath>
#include <algorithm>
#include <cstdint>

// FF > 0: the feature count as a compile-time constant (the inner loops unroll); FF == 0: any count F
template <bool BWD, int FF>
static void run(const float* X, int64_t N, const float* S, const int64_t* RES, const int64_t* SZ, const int64_t* OFF,
                const bool* DN, int64_t L, int64_t F_, const float* P, float* OUT, const float* GO, float* GP) {
  const int64_t F = FF > 0 ? FF : F_;
  // points go in blocks of B: first every corner row of the block (prefetched on hashed levels, whose tables do not stay
  // in cache between training steps), then the weighted sums; per point the same arithmetic in the same order
  constexpr int64_t B = 16;
  at::parallel_for(0, L, 1, [&](int64_t l0, int64_t l1) {
    uint32_t rows[B][8]; float frs[B][3];
    for (int64_t l = l0; l < l1; ++l) {
      const float s = S[l]; const uint32_t r = (uint32_t)RES[l], sz = (uint32_t)SZ[l]; const int64_t off = OFF[l]; const bool dn = DN[l];
      // hashed levels have a power-of-two table (tiny-cuda-nn's T): a mask, not an integer division per corner
      const bool pow2 = (sz & (sz - 1u)) == 0u; const uint32_t mask = sz - 1u;
      const float* Pl = BWD ? nullptr : P + off * F; float* GPl = BWD ? GP + off * F : nullptr;
      // the gradient table comes uninitialised: each level's slab is zeroed by the thread that fills it (in parallel,
      // and still in cache when the scatter begins) instead of by one memset over the whole table
      if (BWD) std::fill(GPl, GPl + (int64_t)sz * F, 0.f);
      for (int64_t n0 = 0; n0 < N; n0 += B) {
        const int64_t nb = N - n0 < B ? N - n0 : B;
        for (int64_t b = 0; b < nb; ++b) {
          const int64_t n = n0 + b; uint32_t g[3]; float* fr = frs[b];
          for (int d = 0; d < 3; ++d) { float p = X[n * 3 + d] * s + 0.5f; float fl = std::floor(p); g[d] = (uint32_t)(int32_t)fl; fr[d] = p - fl; }
          for (int c = 0; c < 8; ++c) {
            const uint32_t i = g[0] + ((c >> 2) & 1), j = g[1] + ((c >> 1) & 1), k = g[2] + (c & 1);
            const uint32_t idx = dn ? i + j * r + k * r * r : i ^ (j * 2654435761u) ^ (k * 805459861u);
            const uint32_t row = pow2 ? (idx & mask) : (idx % sz); rows[b][c] = row;
            if (!dn) { if (BWD) __builtin_prefetch(GPl + (int64_t)row * F, 1); else __builtin_prefetch(Pl + (int64_t)row * F, 0); }
          }
        }
        for (int64_t b = 0; b < nb; ++b) {
          const int64_t n = n0 + b; const float* fr = frs[b];
          float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
          const float* go = BWD ? GO + n * L * F + l * F : nullptr;
          for (int c = 0; c < 8; ++c) {
            const float w = ((c & 4) ? fr[0] : 1.f - fr[0]) * ((c & 2) ? fr[1] : 1.f - fr[1]) * ((c & 1) ? fr[2] : 1.f - fr[2]);
            if (BWD) { float* row = GPl + (int64_t)rows[b][c] * F; for (int64_t f = 0; f < F; ++f) row[f] += w * go[f]; }
            else { const float* row = Pl + (int64_t)rows[b][c] * F; for (int64_t f = 0; f < F; ++f) acc[f] += w * row[f]; }
          }
          if (!BWD) for (int64_t f = 0; f < F; ++f) OUT[n * L * F + l * F + f] = acc[f];
        }
      }
    }
  });
}

template <bool BWD>
static void dispatch(const float* X, int64_t N, const float* S, const int64_t* RES, const int64_t* SZ, const int64_t* OFF,
                     const bool* DN, int64_t L, int64_t F, const float* P, float* OUT, const float* GO, float* GP) {
  if (F == 2) run<BWD, 2>(X, N, S, RES, SZ, OFF, DN, L, F, P, OUT, GO, GP);
  else run<BWD, 0>(X, N, S, RES, SZ, OFF, DN, L, F, P, OUT, GO, GP);
}

torch::Tensor hash_fwd(torch::Tensor x, torch::Tensor params, torch::Tensor scale, torch::Tensor res, torch::Tensor size,
                       torch::Tensor offset, torch::Tensor dense) {
  const int64_t N = x.size(0), L = scale.size(0), F = params.size(1);
  auto out = torch::empty({N, L * F}, x.options());
  dispatch<false>(x.data_ptr<float>(), N, scale.data_ptr<float>(), res.data_ptr<int64_t>(), size.data_ptr<int64_t>(), offset.data_ptr<int64_t>(),
             dense.data_ptr<bool>(), L, F, params.data_ptr<float>(), out.data_ptr<float>(), nullptr, nullptr);
  return out;
}

torch::Tensor hash_bwd(torch::Tensor x, torch::Tensor grad_out, int64_t n_rows, torch::Tensor scale, torch::Tensor res, torch::Tensor size,
                       torch::Tensor offset, torch::Tensor dense) {
  const int64_t N = x.size(0), L = scale.size(0), F = grad_out.size(1) / L;
  TORCH_CHECK(offset.data_ptr<int64_t>()[L - 1] + size.data_ptr<int64_t>()[L - 1] == n_rows, "hash_bwd: the levels must tile the table");
  auto gp = torch::empty({n_rows, F}, grad_out.options());  // zeroed level by level in run()
  dispatch<true>(x.data_ptr<float>(), N, scale.data_ptr<float>(), res.data_ptr<int64_t>(), size.data_ptr<int64_t>(), offset.data_ptr<int64_t>(),
            dense.data_ptr<bool>(), L, F, nullptr, nullptr, grad_out.data_ptr<float>(), gp.data_ptr<float>());
  return gp;
}

// The colour network's input of nerfaug/nerf.py: each sample's geometric features h[:, 1:] (P, G) beside the real
// spherical harmonics (degrees 0-3) of its ray's unit direction d[ray] (R, 3): one pass instead of the ~30 small
// tensor operations of sh_encode, a gather and a concatenation. Same float operations in the same order (bitwise equal).
static void sh16(const float* v, float* o) {
  const float x = v[0], y = v[1], z = v[2], xx = x * x, yy = y * y, zz = z * z;
  o[0] = 0.28209479177387814f;
  o[1] = -0.48860251190291987f * y; o[2] = 0.48860251190291987f * z; o[3] = -0.48860251190291987f * x;
  o[4] = 1.0925484305920792f * x * y; o[5] = -1.0925484305920792f * y * z;
  o[6] = 0.94617469575755997f * zz - 0.31539156525251999f;
  o[7] = -1.0925484305920792f * x * z; o[8] = 0.54627421529603959f * (xx - yy);
  o[9] = 0.59004358992664352f * y * (-3.f * xx + yy); o[10] = 2.8906114426405538f * x * y * z;
  o[11] = 0.45704579946446572f * y * (1.f - 5.f * zz);
  o[12] = 0.3731763325901154f * z * (5.f * zz - 3.f); o[13] = 0.45704579946446572f * x * (1.f - 5.f * zz);
  o[14] = 1.4453057213202769f * z * (xx - yy);
  o[15] = 0.59004358992664352f * x * (-xx + 3.f * yy);
}

torch::Tensor geo_sh(torch::Tensor h, torch::Tensor d, torch::Tensor ray) {
  TORCH_CHECK(h.dim() == 2 && h.is_contiguous() && d.is_contiguous() && ray.is_contiguous(), "geo_sh: contiguous inputs");
  const int64_t P = h.size(0), G = h.size(1) - 1, R = d.size(0), W = G + 16;
  auto sh = torch::empty({R, 16}, d.options()); auto out = torch::empty({P, W}, h.options());
  const float *H = h.data_ptr<float>(), *D = d.data_ptr<float>(); float *S = sh.data_ptr<float>(), *O = out.data_ptr<float>();
  const int64_t* RY = ray.data_ptr<int64_t>();
  for (int64_t r = 0; r < R; ++r) sh16(D + r * 3, S + r * 16);
  at::parallel_for(0, P, 2048, [&](int64_t a, int64_t b) {
    for (int64_t p = a; p < b; ++p) {
      const int64_t r = RY[p]; TORCH_CHECK(r >= 0 && r < R, "geo_sh: ray index out of range");
      std::copy(H + p * (G + 1) + 1, H + (p + 1) * (G + 1), O + p * W); std::copy(S + r * 16, S + r * 16 + 16, O + p * W + G);
    }
  });
  return out;
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("hash_fwd", &hash_fwd, "hash-grid encoding, forward");
  m.def("hash_bwd", &hash_bwd, "hash-grid encoding, gradient w.r.t. the table");
  m.def("geo_sh", &geo_sh, "colour-network input: geometric features beside the SH of each sample's ray");
}
