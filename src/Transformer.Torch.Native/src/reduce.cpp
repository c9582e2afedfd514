// Reductions, selection (gather/scatter/topk/sort) and sampling.
#include "shim.h"

using tsh::dims;

// Every dimension of x: reducing over all of them with keepdim leaves each as size 1, as PyTorch's
// x.sum(dim=None, keepdim=True) does.
static std::vector<int64_t> all_dims(const Tensor& x) {
    std::vector<int64_t> v(static_cast<size_t>(x.dim()));
    for (int64_t i = 0; i < x.dim(); ++i) v[static_cast<size_t>(i)] = i;
    return v;
}

// An empty dimension list reduces over everything; dtype < 0 keeps the input's.
TSH_API int tsh_sum(const Tensor* x, const int64_t* d, int64_t n, int32_t keepdim, int32_t dtype, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        if (n == 0 && keepdim == 0) *out = tsh::wrap(at::sum(*x, tsh::dtype(dtype)));
        else if (n == 0) *out = tsh::wrap(at::sum(*x, all_dims(*x), true, tsh::dtype(dtype)));
        else *out = tsh::wrap(at::sum(*x, dims(d, n), keepdim != 0, tsh::dtype(dtype))));
}
TSH_API int tsh_mean(const Tensor* x, const int64_t* d, int64_t n, int32_t keepdim, int32_t dtype, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        if (n == 0 && keepdim == 0) *out = tsh::wrap(at::mean(*x, tsh::dtype(dtype)));
        else if (n == 0) *out = tsh::wrap(at::mean(*x, all_dims(*x), true, tsh::dtype(dtype)));
        else *out = tsh::wrap(at::mean(*x, dims(d, n), keepdim != 0, tsh::dtype(dtype))));
}
TSH_API int tsh_var(const Tensor* x, const int64_t* d, int64_t n, int64_t correction, int32_t keepdim, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::var(*x, n == 0 ? at::OptionalIntArrayRef() : at::OptionalIntArrayRef(dims(d, n)), correction, keepdim != 0)));
}
TSH_API int tsh_std(const Tensor* x, const int64_t* d, int64_t n, int64_t correction, int32_t keepdim, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::std(*x, n == 0 ? at::OptionalIntArrayRef() : at::OptionalIntArrayRef(dims(d, n)), correction, keepdim != 0)));
}
TSH_API int tsh_norm(const Tensor* x, double p, const int64_t* d, int64_t n, int32_t keepdim, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(
        if (n == 0 && keepdim == 0) *out = tsh::wrap(at::norm(*x, p));
        else if (n == 0) *out = tsh::wrap(at::norm(*x, p, all_dims(*x), true));
        else *out = tsh::wrap(at::norm(*x, p, dims(d, n), keepdim != 0)));
}
TSH_API int tsh_cumsum(const Tensor* x, int64_t d, int32_t dtype, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::cumsum(*x, d, tsh::dtype(dtype))));
}
TSH_UNARY(max_all, at::max(*x))
TSH_UNARY(min_all, at::min(*x))
TSH_UNARY(all, at::all(*x))
TSH_UNARY(any, at::any(*x))
TSH_API int tsh_max_dim(const Tensor* x, int64_t d, int32_t keepdim, Tensor** values, Tensor** indices) {
    TSH_OUT(values);
    TSH_OUT(indices);
    TSH_GUARD(auto r = at::max(*x, d, keepdim != 0); *values = tsh::wrap(std::move(std::get<0>(r))); *indices = tsh::wrap(std::move(std::get<1>(r))));
}
TSH_API int tsh_min_dim(const Tensor* x, int64_t d, int32_t keepdim, Tensor** values, Tensor** indices) {
    TSH_OUT(values);
    TSH_OUT(indices);
    TSH_GUARD(auto r = at::min(*x, d, keepdim != 0); *values = tsh::wrap(std::move(std::get<0>(r))); *indices = tsh::wrap(std::move(std::get<1>(r))));
}
// dim = INT64_MIN: over the flattened tensor.
TSH_API int tsh_argmax(const Tensor* x, int64_t d, int32_t keepdim, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::argmax(*x, tsh::optional(d), keepdim != 0)));
}
TSH_API int tsh_argmin(const Tensor* x, int64_t d, int32_t keepdim, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::argmin(*x, tsh::optional(d), keepdim != 0)));
}

// ---- selection ----
TSH_API int tsh_masked_fill(const Tensor* x, const Tensor* mask, tsh_scalar value, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->masked_fill(*mask, tsh::scalar(value))));
}
TSH_API int tsh_masked_fill_(Tensor* x, const Tensor* mask, tsh_scalar value) { TSH_GUARD(x->masked_fill_(*mask, tsh::scalar(value))); }
TSH_API int tsh_where(const Tensor* cond, const Tensor* a, const Tensor* b, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::where(*cond, *a, *b)));
}
TSH_API int tsh_gather(const Tensor* x, int64_t d, const Tensor* index, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::gather(*x, d, *index)));
}
TSH_API int tsh_scatter(const Tensor* x, int64_t d, const Tensor* index, const Tensor* src, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::scatter(*x, d, *index, *src)));
}
TSH_API int tsh_scatter_add(const Tensor* x, int64_t d, const Tensor* index, const Tensor* src, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::scatter_add(*x, d, *index, *src)));
}
TSH_API int tsh_index_select(const Tensor* x, int64_t d, const Tensor* index, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::index_select(*x, d, *index)));
}
TSH_API int tsh_topk(const Tensor* x, int64_t k, int64_t d, int32_t largest, int32_t sorted, Tensor** values, Tensor** indices) {
    TSH_OUT(values);
    TSH_OUT(indices);
    TSH_GUARD(auto r = at::topk(*x, k, d, largest != 0, sorted != 0); *values = tsh::wrap(std::move(std::get<0>(r))); *indices = tsh::wrap(std::move(std::get<1>(r))));
}
TSH_API int tsh_sort(const Tensor* x, int64_t d, int32_t descending, int32_t stable, Tensor** values, Tensor** indices) {
    TSH_OUT(values);
    TSH_OUT(indices);
    TSH_GUARD(auto r = at::sort(*x, stable != 0, d, descending != 0); *values = tsh::wrap(std::move(std::get<0>(r))); *indices = tsh::wrap(std::move(std::get<1>(r))));
}
TSH_API int tsh_multinomial(const Tensor* probs, int64_t n, int32_t replacement, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::multinomial(*probs, n, replacement != 0)));
}
TSH_API int tsh_one_hot(const Tensor* x, int64_t classes, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::one_hot(*x, classes)));
}
