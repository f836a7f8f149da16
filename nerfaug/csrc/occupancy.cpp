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
    for (int64_t n = a; n < b; ++n)
      for (int64_t s = 0; s < S; ++s) {
        const float tt = ST[s] * T[n]; int32_t c[3]; bool in = true;
        for (int d = 0; d < 3; ++d) { c[d] = (int32_t)std::floor(O[n * 3 + d] + tt * D[n * 3 + d]); in = in && c[d] >= 0 && c[d] < R; }
        if (in) __atomic_store_n(C + ((int64_t)c[0] * R + c[1]) * R + c[2], true, __ATOMIC_RELAXED);
      }
  });
}

void project_free(torch::Tensor box_min, torch::Tensor box_size, int64_t res, torch::Tensor w2c, double fx, double fy, double cx,
                  double cy, torch::Tensor depth, int64_t w, int64_t h, double margin, torch::Tensor free_, torch::Tensor seen) {
  const float *BM = box_min.data_ptr<float>(), *BS = box_size.data_ptr<float>(), *M = w2c.data_ptr<float>(), *Z = depth.data_ptr<float>();
  bool *FR = free_.data_ptr<bool>(), *SE = seen.data_ptr<bool>();
  const float ffx = (float)fx, ffy = (float)fy, fcx = (float)cx, fcy = (float)cy, fm = (float)margin;
  at::parallel_for(0, res, 1, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      const float c0 = BM[0] + (((float)i + 0.5f) / (float)res) * BS[0];
      for (int64_t j = 0; j < res; ++j) {
        const float c1 = BM[1] + (((float)j + 0.5f) / (float)res) * BS[1];
        float P[3];
        for (int k = 0; k < 3; ++k) P[k] = c0 * M[k * 4] + c1 * M[k * 4 + 1];
        for (int64_t l = 0; l < res; ++l) {
          const float c2 = BM[2] + (((float)l + 0.5f) / (float)res) * BS[2];
          float X[3];
          for (int k = 0; k < 3; ++k) X[k] = M[k * 4 + 3] + (P[k] + c2 * M[k * 4 + 2]);
          const float z = X[2], zs = z > 1e-3f ? z : 1e-3f;
          const float u = std::nearbyint(X[0] / zs * ffx + fcx), v = std::nearbyint(X[1] / zs * ffy + fcy);
          if (!(z > 0.05f && u >= 0 && u < (float)w && v >= 0 && v < (float)h)) continue;
          const float dd = Z[(int64_t)v * w + (int64_t)u];
          const int64_t n = (i * res + j) * res + l;
          SE[n] = true;
          if (dd > 0 && z < dd - fm) FR[n] = true;
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
