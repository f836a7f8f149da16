// nerfaug: occupancy-grid construction on the CPU (ray carving, projection of cell centres into depth maps).
// Loaded by nerfaug.hashgrid.cpp_extension("occupancy"). Every float operation is the one of the PyTorch code in
// nerfaug/occupancy.py, in the same order (compiled with -ffp-contract=off), so both build the same grid bit for bit.
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
      int64_t total = 0;
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
      }
      const int64_t tot = total < 1 ? 1 : total; int64_t rank = 0;
      for (int64_t c = 0; c < C; ++c) {
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
  return {t_s, valid, delta};
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("carve_cells", &carve_cells, "mark grid cells crossed by rays before their measured depth");
  m.def("sample_candidates", &sample_candidates, "candidates along rays, occupancy lookups, first-K or spread choice");
  m.def("project_free", &project_free, "cells seen by a depth map, and those clearly in front of its surface");
}
