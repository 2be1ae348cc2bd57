/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few kernel types and helpers the ccda core uses, for building the same
 * core .c files into user-space tools (ccda-map, ccda-bench, the fuzzer).
 * Every <linux/...> header the core includes is a one-line file in
 * tools/include/ that includes this one; nothing of the core is copied.
 *
 * Allocations are counted so that a tool can prove that a rejected input
 * left nothing allocated (ccda_shim_live()).
 */
#ifndef _CCDA_SHIM_H_
#define _CCDA_SHIM_H_

#include <assert.h>
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

#define GFP_KERNEL	0U

#define U8_MAX		UINT8_MAX
#define U16_MAX		UINT16_MAX
#define U32_MAX		UINT32_MAX
#define U64_MAX		UINT64_MAX
#define S32_MAX		INT32_MAX

#define SZ_4K		0x00001000
#define SZ_8K		0x00002000
#define SZ_16K		0x00004000
#define SZ_32K		0x00008000
#define SZ_64K		0x00010000
#define SZ_128K		0x00020000
#define SZ_256K		0x00040000
#define SZ_512K		0x00080000
#define SZ_1M		0x00100000
#define SZ_2M		0x00200000
#define SZ_4M		0x00400000
#define SZ_8M		0x00800000
#define SZ_16M		0x01000000
#define SZ_32M		0x02000000
#define SZ_1G		0x40000000
#define SZ_4G		0x100000000ULL

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))

#define FIELD_GET(mask, val)						\
	((typeof(mask))(((val) & (mask)) >> __builtin_ctzll(mask)))
#define FIELD_PREP(mask, val)						\
	((typeof(mask))(((typeof(mask))(val) << __builtin_ctzll(mask)) & (mask)))

#define BUILD_BUG_ON(cond)	static_assert(!(cond), #cond)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

static inline size_t size_add(size_t a, size_t b)
{
	size_t r;

	return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

static inline size_t size_mul(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

#define array_size(n, s)	size_mul(n, s)
/*
 * The tools only size structures whose element counts the core has already
 * bounded, so the offset of element @n is the size; GCC and clang both take
 * a variable index in offsetof().
 */
#define struct_size(p, member, n)	offsetof(typeof(*(p)), member[n])
#define struct_size_t(type, member, n)	offsetof(type, member[n])

#define min(a, b)							\
	({ __auto_type __a = (a); __auto_type __b = (b); __a < __b ? __a : __b; })
#define max(a, b)							\
	({ __auto_type __a = (a); __auto_type __b = (b); __a > __b ? __a : __b; })
#define min_t(type, a, b)	min((type)(a), (type)(b))
#define max_t(type, a, b)	max((type)(a), (type)(b))
#define DIV_ROUND_UP(n, d)						\
	({ __auto_type __n = (n); __auto_type __d = (d); (__n + __d - 1) / __d; })
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define ALIGN_DOWN(x, a)	((x) & ~((typeof(x))(a) - 1))
#define round_down(x, y)	ALIGN_DOWN(x, y)
#define round_up(x, y)		ALIGN(x, y)
#define ALIGN(x, a)							\
	({ __auto_type __x = (x); typeof(__x) __m = (typeof(__x))(a) - 1;	\
	   (__x + __m) & ~__m; })

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

static inline unsigned long __ffs64(u64 x)
{
	return __builtin_ctzll(x);
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#define ilog2(n)	(fls64(n) - 1)

/* Byte order and unaligned access */
static inline u16 get_unaligned_le16(const void *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

static inline u32 get_unaligned_le32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline u64 get_unaligned_le64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

/* Logging: rejections are debug output, shown when a tool asks for it. */
extern bool ccda_shim_debug;
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_debug(fmt, ...)						\
	do {								\
		if (ccda_shim_debug)					\
			fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__);	\
	} while (0)
#define pr_err(fmt, ...)	fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	fprintf(stderr, pr_fmt(fmt), ##__VA_ARGS__)

static inline bool __ccda_warn(bool cond, const char *what)
{
	if (cond)
		pr_err("WARN_ON_ONCE(%s)\n", what);
	return cond;
}

#define WARN_ON_ONCE(c)		__ccda_warn(!!(c), #c)
#define WARN_ON(c)		__ccda_warn(!!(c), #c)

/*
 * Counted allocations: every block carries its size in a header, so the
 * tools can report live blocks, live bytes and the peak (ccda-bench's
 * memory figures) and prove that a rejected input left nothing behind.
 */
extern long ccda_shim_allocs;
extern size_t ccda_shim_bytes;
extern size_t ccda_shim_peak;

#define CCDA_SHIM_HDR	16

static inline long ccda_shim_live(void)
{
	return ccda_shim_allocs;
}

static inline void *kvmalloc(size_t size, unsigned int gfp)
{
	unsigned char *p;

	(void)gfp;
	if (size > SIZE_MAX - CCDA_SHIM_HDR)
		return NULL;
	p = malloc(size + CCDA_SHIM_HDR);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	ccda_shim_allocs++;
	ccda_shim_bytes += size;
	if (ccda_shim_bytes > ccda_shim_peak)
		ccda_shim_peak = ccda_shim_bytes;
	return p + CCDA_SHIM_HDR;
}

static inline void *kvzalloc(size_t size, unsigned int gfp)
{
	void *p = kvmalloc(size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

static inline void *kvmalloc_array(size_t n, size_t size, unsigned int gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kvmalloc(bytes, gfp);
}

static inline void *kvcalloc(size_t n, size_t size, unsigned int gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kvzalloc(bytes, gfp);
}

static inline void *kvmemdup(const void *src, size_t len, unsigned int gfp)
{
	void *p = kvmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

static inline void kvfree(const void *p)
{
	unsigned char *h;
	size_t size;

	if (!p)
		return;
	h = (unsigned char *)p - CCDA_SHIM_HDR;
	memcpy(&size, h, sizeof(size));
	ccda_shim_allocs--;
	ccda_shim_bytes -= size;
	free(h);
}

#define kmalloc(s, g)		kvmalloc(s, g)
#define kzalloc(s, g)		kvzalloc(s, g)
#define kmalloc_array(n, s, g)	kvmalloc_array(n, s, g)
#define kcalloc(n, s, g)	kvcalloc(n, s, g)
#define kmemdup(p, l, g)	kvmemdup(p, l, g)
#define kfree(p)		kvfree(p)

/* sort() without the swap callback: libc's qsort does the same job. */
static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *),
			void (*swap)(void *, void *, int))
{
	(void)swap;
	qsort(base, num, size, cmp);
}

/* Scope-based cleanup, the subset the core uses (see linux/cleanup.h). */
#define __cleanup(f)		__attribute__((__cleanup__(f)))
#define DEFINE_FREE(name, type, free)					\
	static inline void __free_##name(void *p)			\
	{								\
		type _T = *(type *)p;					\
		free;							\
	}
#define __free(name)		__cleanup(__free_##name)

static inline void *__ccda_steal_ptr(void **pp)
{
	void *p = *pp;

	*pp = NULL;
	return p;
}

#define no_free_ptr(p)		((typeof(p))__ccda_steal_ptr((void **)&(p)))

DEFINE_FREE(kfree, void *, kvfree(_T))
DEFINE_FREE(kvfree, void *, kvfree(_T))

#endif /* _CCDA_SHIM_H_ */
