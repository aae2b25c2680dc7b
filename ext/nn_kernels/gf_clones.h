/* GF_CLONES: compile a hot loop for AVX-512, AVX2+FMA and the baseline; the loader picks one
 * (GCC function multiversioning). -DGF_CLONES= builds the baseline alone. */
#ifndef GF_CLONES
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && __GNUC__ >= 11 && \
    defined(__GLIBC__)
#define GF_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define GF_CLONES
#endif
#endif
