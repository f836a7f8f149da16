// nerfaug: occupancy-grid construction on the CPU (ray carving, projection of cell centres into depth maps),
// occupancy-guided sampling and volume rendering along rays.
// Loaded by nerfaug.hashgrid.cpp_extension("occupancy"). The grid's and the sampler's float operations are those of
// the PyTorch code in nerfaug/occupancy.py and rendering.py, in the same order (compiled with -ffp-contract=off), so
// both give the same grid and samples bit for bit; compositing agrees to float rounding (see composite_fwd).
#include <torch/extension.h>
#include <ATen/Parallel.h>
#include <cmath>
#include <cstdint>
#include <vector>

void carve_cells(torch::Tensor on, torch::Tensor dn, torch::Tensor t_stop, torch::Tensor steps, int64_t res, torch::Tensor carved) {
  const int64_t N = on.size(0), S = steps.size(0); const int32_t R = (int32_t)res;
  const float *O = on.data_ptr<float>(), *D = dn.data_ptr<float>(), *T = t_stop.data_ptr<float>(), *ST = steps.data_ptr<float>();
  bool* C = carved.data_ptr<bool>();
  at::parallel_for(0, N, 64, [&](int64_t a, int64_t b) {
    // per ray: every step's cell coordinates in one vectorisable pass, then the stores (a repeated cell once)
    std::vector<int32_t> cx(S), cy(S), cz(S);
    for (int64_t n = a; n < b; ++n) {
      const float o0 = O[n * 3], o1 = O[n * 3 + 1], o2 = O[n * 3 + 2], d0 = D[n * 3], d1 = D[n * 3 + 1], d2 = D[n * 3 + 2], tn = T[n];
      int32_t *X = cx.data(), *Y = cy.data(), *Z = cz.data();
      for (int64_t s = 0; s < S; ++s) {
        const float tt = ST[s] * tn;
        X[s] = (int32_t)std::floor(o0 + tt * d0); Y[s] = (int32_t)std::floor(o1 + tt * d1); Z[s] = (int32_t)std::floor(o2 + tt * d2);
      }
      int64_t prev = -1;
      for (int64_t s = 0; s < S; ++s) {
        if (!(X[s] >= 0 && X[s] < R && Y[s] >= 0 && Y[s] < R && Z[s] >= 0 && Z[s] < R)) continue;
        const int64_t i = ((int64_t)X[s] * R + Y[s]) * R + Z[s];
        if (i != prev) __atomic_store_n(C + i, true, __ATOMIC_RELAXED);
        prev = i;
      }
    }
  });
}

void project_free(torch::Tensor box_min, torch::Tensor box_size, int64_t res, torch::Tensor w2c, double fx, double fy, double cx,
                  double cy, torch::Tensor depth, int64_t w, int64_t h, double margin, torch::Tensor free_, torch::Tensor seen) {
  const float *BM = box_min.data_ptr<float>(), *BS = box_size.data_ptr<float>(), *M = w2c.data_ptr<float>(), *Z = depth.data_ptr<float>();
  bool *FR = free_.data_ptr<bool>(), *SE = seen.data_ptr<bool>();
  const float ffx = (float)fx, ffy = (float)fy, fcx = (float)cx, fcy = (float)cy, fm = (float)margin;
  at::parallel_for(0, res, 1, [&](int64_t i0, int64_t i1) {
    // per column of cells: projections in one vectorisable pass, then the depth lookups and marks
    std::vector<float> c2v(res), U(res), V(res), ZZ(res);
    for (int64_t l = 0; l < res; ++l) c2v[l] = BM[2] + (((float)l + 0.5f) / (float)res) * BS[2];
    for (int64_t i = i0; i < i1; ++i) {
      const float c0 = BM[0] + (((float)i + 0.5f) / (float)res) * BS[0];
      for (int64_t j = 0; j < res; ++j) {
        const float c1 = BM[1] + (((float)j + 0.5f) / (float)res) * BS[1];
        float P[3];
        for (int k = 0; k < 3; ++k) P[k] = c0 * M[k * 4] + c1 * M[k * 4 + 1];
        const float p0 = P[0], p1 = P[1], p2 = P[2], m02 = M[2], m12 = M[6], m22 = M[10], t0 = M[3], t1 = M[7], t2 = M[11];
        float *u_ = U.data(), *v_ = V.data(), *z_ = ZZ.data(); const float* c2p = c2v.data();
        for (int64_t l = 0; l < res; ++l) {
          const float c2 = c2p[l];
          const float x0 = t0 + (p0 + c2 * m02), x1 = t1 + (p1 + c2 * m12), z = t2 + (p2 + c2 * m22);
          const float zs = z > 1e-3f ? z : 1e-3f;
          u_[l] = std::nearbyint(x0 / zs * ffx + fcx); v_[l] = std::nearbyint(x1 / zs * ffy + fcy); z_[l] = z;
        }
        const int64_t base = (i * res + j) * res;
        for (int64_t l = 0; l < res; ++l) {
          const float z = z_[l], u = u_[l], v = v_[l];
          if (!(z > 0.05f && u >= 0 && u < (float)w && v >= 0 && v < (float)h)) continue;
          const float dd = Z[(int64_t)v * w + (int64_t)u];
          SE[base + l] = true;
          if (dd > 0 && z < dd - fm) FR[base + l] = true;
        }
      }
    }
  });
}

// prefix sums of each ray's valid slots: where its samples start in the packed (valid.nonzero()) order
static std::vector<int64_t> ray_starts(const bool* V, int64_t N, int64_t K) {
  std::vector<int64_t> start(N + 1, 0);
  for (int64_t n = 0; n < N; ++n) {
    int64_t cnt = 0;
    for (int64_t k = 0; k < K; ++k) cnt += V[n * K + k];
    start[n + 1] = start[n] + cnt;
  }
  return start;
}

// The grid arrives as bits (cell c: bit c % 8 of byte c / 8; 2 MB for 256^3 cells where bools take 16 MB), with a
// coarse copy (bit set where any of its 8^3 cells is occupied; 4 KB for 256^3) checked first.
// sample_rays of nerfaug/rendering.py for an occupancy grid: candidate t, the cell lookups and the first-K or spread
// choice in one pass per ray (the PyTorch code builds (N, C, 3) cell tensors). Same float operations, same order.
std::vector<torch::Tensor> sample_candidates(torch::Tensor o, torch::Tensor d, torch::Tensor t_near, torch::Tensor t_far,
                                             torch::Tensor jitter, torch::Tensor delta_base, torch::Tensor box_min,
                                             torch::Tensor scale, int64_t res, torch::Tensor occupied, torch::Tensor coarse, int64_t K,
                                             bool spread) {
  const int64_t N = o.size(0), C = jitter.size(1); const int32_t R = (int32_t)res;
  auto t_s = torch::zeros({N, K}, o.options()); auto valid = torch::zeros({N, K}, o.options().dtype(torch::kBool));
  auto delta = torch::empty({N, K}, o.options());
  const float *O = o.data_ptr<float>(), *D = d.data_ptr<float>(), *TN = t_near.data_ptr<float>(), *TF = t_far.data_ptr<float>();
  const float *J = jitter.data_ptr<float>(), *DB = delta_base.data_ptr<float>(), *BM = box_min.data_ptr<float>();
  const float* SC = scale.data_ptr<float>(); const uint8_t* OCC = occupied.data_ptr<uint8_t>(); const uint8_t* CO = coarse.data_ptr<uint8_t>(); const int64_t RC = (res + 7) / 8;
  float* TS = t_s.data_ptr<float>(); bool* V = valid.data_ptr<bool>(); float* DL = delta.data_ptr<float>();
  at::parallel_for(0, N, 256, [&](int64_t a, int64_t b) {
    std::vector<float> t(C); std::vector<uint8_t> ok(C);
    for (int64_t n = a; n < b; ++n) {
      const float tn = TN[n], tf = TF[n]; float span = tf - tn; span = span < 0.f ? 0.f : span;
      float on[3], dn[3];
      for (int k = 0; k < 3; ++k) { on[k] = (O[n * 3 + k] - BM[k]) * SC[k]; dn[k] = D[n * 3 + k] * SC[k]; }
      int64_t total = 0, c_end = C;
      for (int64_t c = 0; c < C; ++c) {
        const float tc = tn + (span * ((float)c + J[n * C + c])) / (float)C; t[c] = tc;
        bool in = span > 0.f; int32_t g[3];
        for (int k = 0; k < 3; ++k) { g[k] = (int32_t)std::floor(on[k] + tc * dn[k]); in = in && g[k] >= 0 && g[k] < R; }
        ok[c] = 0;
        if (in) {
          const int64_t cc = ((int64_t)(g[0] >> 3) * RC + (g[1] >> 3)) * RC + (g[2] >> 3);
          const int64_t ci = ((int64_t)g[0] * R + g[1]) * R + g[2];
          if ((CO[cc >> 3] >> (cc & 7)) & 1) ok[c] = (OCC[ci >> 3] >> (ci & 7)) & 1;
        }
        total += ok[c];
        if (!spread && total == K) { c_end = c + 1; break; }  // the first K found: later candidates are not used
      }
      const int64_t tot = total < 1 ? 1 : total; int64_t rank = 0;
      for (int64_t c = 0; c < c_end; ++c) {
        if (!ok[c]) continue;
        ++rank; int64_t slot;
        if (!spread) { if (rank > K) break; slot = rank - 1; }
        else {
          slot = (rank - 1) * K / tot;
          if (rank > 1 && slot == (rank - 2) * K / tot) continue;  // not the first candidate of its sample
          if (slot >= K) continue;
        }
        TS[n * K + slot] = t[c]; V[n * K + slot] = true;
      }
      float f = spread ? (float)tot / (float)K : 1.f; f = f < 1.f ? 1.f : f;
      for (int64_t k = 0; k < K; ++k) DL[n * K + k] = spread ? DB[n] * f : DB[n];
    }
  });
  // the valid samples packed in valid.nonzero() order: ray, slot and world position o + t d (PyTorch's operations)
  const std::vector<int64_t> start = ray_starts(V, N, K);
  const int64_t P = start[N];
  auto ray = torch::empty({P}, o.options().dtype(torch::kLong)), slot = torch::empty({P}, o.options().dtype(torch::kLong));
  auto x = torch::empty({P, 3}, o.options());
  int64_t *RY = ray.data_ptr<int64_t>(), *SL = slot.data_ptr<int64_t>(); float* X = x.data_ptr<float>();
  at::parallel_for(0, N, 256, [&](int64_t a, int64_t b) {
    for (int64_t n = a; n < b; ++n) {
      int64_t p = start[n];
      for (int64_t k = 0; k < K; ++k) {
        if (!V[n * K + k]) continue;
        RY[p] = n; SL[p] = k; const float tk = TS[n * K + k];
        for (int j = 0; j < 3; ++j) X[p * 3 + j] = O[n * 3 + j] + tk * D[n * 3 + j];
        ++p;
      }
    }
  });
  return {t_s, valid, delta, ray, slot, x};
}

// composite() of nerfaug/rendering.py for packed samples, forward and backward in one pass per ray: ray n's valid
// slots, in order, take the next samples of s (P) and c (P, 3) (valid.nonzero() order). The PyTorch path scatters
// them into (N, K) tensors and composites with a dozen small autograd operations; here each ray walks its K slots.
// Same formulas and summation order per ray; exp and the backward's recurrence (no division by 1 - alpha) differ from
// PyTorch's in the last bits.

std::vector<torch::Tensor> composite_fwd(torch::Tensor s, torch::Tensor c, torch::Tensor valid, torch::Tensor t,
                                         torch::Tensor delta, torch::Tensor bg) {
  const int64_t N = t.size(0), K = t.size(1);
  auto opt = t.options();
  auto rgb = torch::empty({N, 3}, opt), acc = torch::empty({N}, opt), depth = torch::empty({N}, opt);
  auto w = torch::empty({N, K}, opt), trans = torch::empty({N, K}, opt);
  const float *S = s.data_ptr<float>(), *CC = c.data_ptr<float>(), *T = t.data_ptr<float>(), *DL = delta.data_ptr<float>();
  const float* BG = bg.data_ptr<float>(); const bool* V = valid.data_ptr<bool>();
  float *RGB = rgb.data_ptr<float>(), *A = acc.data_ptr<float>(), *DE = depth.data_ptr<float>(), *W = w.data_ptr<float>();
  float* TR = trans.data_ptr<float>();
  const std::vector<int64_t> start = ray_starts(V, N, K);
  at::parallel_for(0, N, 256, [&](int64_t a0, int64_t a1) {
    for (int64_t n = a0; n < a1; ++n) {
      int64_t p = start[n]; float tr = 1.f, ac = 0.f, dp = 0.f, r0 = 0.f, r1 = 0.f, r2 = 0.f;
      for (int64_t k = 0; k < K; ++k) {
        const int64_t i = n * K + k;
        float sg = 0.f, c0 = 0.f, c1 = 0.f, c2 = 0.f;
        if (V[i]) { sg = S[p]; c0 = CC[p * 3]; c1 = CC[p * 3 + 1]; c2 = CC[p * 3 + 2]; ++p; }
        const float al = 1.f - std::exp(-sg * DL[i]);
        const float wk = al * tr;
        TR[i] = tr; W[i] = wk;
        ac += wk; dp += wk * T[i]; r0 += wk * c0; r1 += wk * c1; r2 += wk * c2;
        tr = tr * ((1.f - al) + 1e-10f);
      }
      A[n] = ac; DE[n] = dp / (ac < 1e-6f ? 1e-6f : ac);
      const float rest = 1.f - ac;
      RGB[n * 3] = r0 + rest * BG[n * 3]; RGB[n * 3 + 1] = r1 + rest * BG[n * 3 + 1]; RGB[n * 3 + 2] = r2 + rest * BG[n * 3 + 2];
    }
  });
  return {rgb, acc, depth, w, trans};
}

// Gradients of s and c from those of rgb, opacity, depth and weights. With G_k = dL/dw_k and T_k the transmittance,
// dL/dalpha_k = T_k (G_k - R_k), R_k = sum_{m>k} G_m alpha_m prod_{k<j<m} (1 - alpha_j + 1e-10), built from the back.
std::vector<torch::Tensor> composite_bwd(torch::Tensor g_rgb, torch::Tensor g_acc, torch::Tensor g_depth, torch::Tensor g_w,
                                         torch::Tensor s, torch::Tensor c, torch::Tensor valid, torch::Tensor t,
                                         torch::Tensor delta, torch::Tensor bg, torch::Tensor w, torch::Tensor trans,
                                         torch::Tensor acc, torch::Tensor depth) {
  const int64_t N = t.size(0), K = t.size(1), P = s.size(0);
  auto gs = torch::empty({P}, s.options()), gc = torch::empty({P, 3}, s.options());
  const float *GR = g_rgb.data_ptr<float>(), *GA = g_acc.data_ptr<float>(), *GD = g_depth.data_ptr<float>(), *GW = g_w.data_ptr<float>();
  const float *S = s.data_ptr<float>(), *CC = c.data_ptr<float>(), *T = t.data_ptr<float>(), *DL = delta.data_ptr<float>();
  const float *BG = bg.data_ptr<float>(), *W = w.data_ptr<float>(), *TR = trans.data_ptr<float>(), *A = acc.data_ptr<float>();
  const float* DE = depth.data_ptr<float>(); const bool* V = valid.data_ptr<bool>();
  float *GS = gs.data_ptr<float>(), *GC = gc.data_ptr<float>();
  const std::vector<int64_t> start = ray_starts(V, N, K);
  at::parallel_for(0, N, 256, [&](int64_t a0, int64_t a1) {
    for (int64_t n = a0; n < a1; ++n) {
      const float g0 = GR[n * 3], g1 = GR[n * 3 + 1], g2 = GR[n * 3 + 2];
      // d rgb / d w_k = c_k - bg; d opacity / d w_k = 1; d depth / d w_k = (t_k - depth) / opacity (t_k / 1e-6 below)
      const float base = GA[n] - (g0 * BG[n * 3] + g1 * BG[n * 3 + 1] + g2 * BG[n * 3 + 2]);
      const float ac = A[n], gd = GD[n];
      int64_t p = start[n + 1]; float R = 0.f;
      for (int64_t k = K - 1; k >= 0; --k) {
        const int64_t i = n * K + k;
        float sg = 0.f, c0 = 0.f, c1 = 0.f, c2 = 0.f;
        const bool v = V[i];
        if (v) { --p; sg = S[p]; c0 = CC[p * 3]; c1 = CC[p * 3 + 1]; c2 = CC[p * 3 + 2]; }
        const float dd = ac >= 1e-6f ? (T[i] - DE[n]) / ac : T[i] / 1e-6f;
        const float G = GW[i] + base + (g0 * c0 + g1 * c1 + g2 * c2) + gd * dd;
        const float e = std::exp(-sg * DL[i]), al = 1.f - e;
        if (v) {
          GS[p] = TR[i] * (G - R) * DL[i] * e;
          const float wk = W[i];
          GC[p * 3] = wk * g0; GC[p * 3 + 1] = wk * g1; GC[p * 3 + 2] = wk * g2;
        }
        R = G * al + ((1.f - al) + 1e-10f) * R;
      }
    }
  });
  return {gs, gc};
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("carve_cells", &carve_cells, "mark grid cells crossed by rays before their measured depth");
  m.def("sample_candidates", &sample_candidates, "candidates along rays, occupancy lookups, first-K or spread choice");
  m.def("project_free", &project_free, "cells seen by a depth map, and those clearly in front of its surface");
  m.def("composite_fwd", &composite_fwd, "volume rendering of packed samples: rgb, opacity, z-depth, weights, transmittance");
  m.def("composite_bwd", &composite_bwd, "gradients of composite_fwd's samples (densities and colours)");
}
