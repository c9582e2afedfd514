// Views, reshapes, indexing and joining/splitting of tensors.
#include "shim.h"

using tsh::dims;

TSH_API int tsh_view(const Tensor* x, const int64_t* shape, int64_t n, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->view(dims(shape, n))));
}
TSH_API int tsh_reshape(const Tensor* x, const int64_t* shape, int64_t n, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->reshape(dims(shape, n))));
}
TSH_API int tsh_expand(const Tensor* x, const int64_t* shape, int64_t n, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->expand(dims(shape, n))));
}
TSH_API int tsh_repeat(const Tensor* x, const int64_t* shape, int64_t n, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->repeat(dims(shape, n))));
}
TSH_API int tsh_permute(const Tensor* x, const int64_t* order, int64_t n, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->permute(dims(order, n))));
}
TSH_API int tsh_flip(const Tensor* x, const int64_t* d, int64_t n, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->flip(dims(d, n))));
}
TSH_API int tsh_transpose(const Tensor* x, int64_t d0, int64_t d1, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->transpose(d0, d1)));
}
TSH_API int tsh_unsqueeze(const Tensor* x, int64_t d, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->unsqueeze(d)));
}
// dim = INT64_MIN squeezes every size-1 dimension.
TSH_API int tsh_squeeze(const Tensor* x, int64_t d, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(d == tsh::kNone ? x->squeeze() : x->squeeze(d)));
}
TSH_API int tsh_narrow(const Tensor* x, int64_t d, int64_t start, int64_t length, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->narrow(d, start, length)));
}
TSH_API int tsh_select(const Tensor* x, int64_t d, int64_t index, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->select(d, index)));
}
TSH_API int tsh_tril(const Tensor* x, int64_t k, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->tril(k)));
}
TSH_API int tsh_triu(const Tensor* x, int64_t k, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->triu(k)));
}
TSH_UNARY(contiguous, x->contiguous())
TSH_UNARY(clone, x->clone())
TSH_UNARY(detach, x->detach())
TSH_UNARY(alias, at::Tensor(*x))
TSH_UNARY_(detach_, x->detach_())

// ---- indexing: one element per index position ----
// kind 0 = integer (a), 1 = slice (a:b:c, INT64_MIN for an absent bound), 2 = None (new axis),
// 3 = Ellipsis, 4 = tensor (integer or boolean mask, from `tensors[i]`).
static std::vector<at::indexing::TensorIndex> indices(const int32_t* kinds, const int64_t* a, const int64_t* b,
                                                      const int64_t* c, Tensor* const* tensors, int64_t n) {
    using namespace at::indexing;
    TORCH_CHECK(n >= 0, "invalid index count ", n);
    std::vector<TensorIndex> out;
    out.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        switch (kinds[i]) {
            case 0: out.emplace_back(a[i]); break;
            case 1: out.emplace_back(Slice(tsh::optional(a[i]), tsh::optional(b[i]), tsh::optional(c[i]))); break;
            case 2: out.emplace_back(None); break;
            case 3: out.emplace_back(Ellipsis); break;
            case 4:
                TORCH_CHECK(tensors[i] != nullptr, "index tensor ", i, " is null");
                out.emplace_back(*tensors[i]);
                break;
            default: TORCH_CHECK(false, "unknown index kind ", kinds[i]);
        }
    }
    return out;
}
TSH_API int tsh_index(const Tensor* x, const int32_t* kinds, const int64_t* a, const int64_t* b, const int64_t* c,
                      Tensor* const* tensors, int64_t n, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(x->index(indices(kinds, a, b, c, tensors, n))));
}
TSH_API int tsh_index_put_(Tensor* x, const int32_t* kinds, const int64_t* a, const int64_t* b, const int64_t* c,
                           Tensor* const* tensors, int64_t n, const Tensor* value) {
    TSH_GUARD(x->index_put_(indices(kinds, a, b, c, tensors, n), *value));
}
TSH_API int tsh_index_put_scalar_(Tensor* x, const int32_t* kinds, const int64_t* a, const int64_t* b, const int64_t* c,
                                  Tensor* const* tensors, int64_t n, tsh_scalar value) {
    TSH_GUARD(x->index_put_(indices(kinds, a, b, c, tensors, n), tsh::scalar(value)));
}
TSH_BINARY(masked_select, a->masked_select(*b))

// ---- joining and splitting ----
TSH_API int tsh_cat(Tensor* const* ts, int64_t n, int64_t d, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::cat(tsh::tensors(ts, n), d)));
}
TSH_API int tsh_stack(Tensor* const* ts, int64_t n, int64_t d, Tensor** out) {
    TSH_OUT(out);
    TSH_GUARD(*out = tsh::wrap(at::stack(tsh::tensors(ts, n), d)));
}

// Writes up to `cap` handles into `out`; their number goes to `count`.
static void emit(std::vector<Tensor>&& parts, Tensor** out, int64_t cap, int64_t* count) {
    TORCH_CHECK(static_cast<int64_t>(parts.size()) <= cap, "result has ", parts.size(), " tensors, buffer holds ", cap);
    for (size_t i = 0; i < parts.size(); ++i) out[i] = tsh::wrap(std::move(parts[i]));
    *count = static_cast<int64_t>(parts.size());
}
TSH_API int tsh_chunk(const Tensor* x, int64_t chunks, int64_t d, Tensor** out, int64_t cap, int64_t* count) {
    TSH_OUT(count);
    TSH_GUARD(emit(x->chunk(chunks, d), out, cap, count));
}
TSH_API int tsh_split(const Tensor* x, int64_t size, int64_t d, Tensor** out, int64_t cap, int64_t* count) {
    TSH_OUT(count);
    TSH_GUARD(emit(x->split(size, d), out, cap, count));
}
TSH_API int tsh_split_sizes(const Tensor* x, const int64_t* sizes, int64_t n, int64_t d, Tensor** out, int64_t cap, int64_t* count) {
    TSH_OUT(count);
    TSH_GUARD(emit(x->split_with_sizes(dims(sizes, n), d), out, cap, count));
}
