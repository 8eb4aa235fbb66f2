/* types.c - D's type table and the usual arithmetic conversions. */
#include <stdio.h>
#include <string.h>
#include "ast.h"
#include "types.h"

struct type t_void = { .k = TY_VOID, .size = 0, .name = "void" };
struct type t_char = { .k = TY_INT, .size = 1, .sign = true, .name = "char" };
struct type t_uchar = { .k = TY_INT, .size = 1, .name = "unsigned char" };
struct type t_short = { .k = TY_INT, .size = 2, .sign = true, .name = "short" };
struct type t_ushort = { .k = TY_INT, .size = 2, .name = "unsigned short" };
struct type t_int = { .k = TY_INT, .size = 4, .sign = true, .name = "int" };
struct type t_uint = { .k = TY_INT, .size = 4, .name = "unsigned int" };
struct type t_long = { .k = TY_INT, .size = 8, .sign = true, .name = "long" };
struct type t_ulong = { .k = TY_INT, .size = 8, .name = "unsigned long" };
struct type t_llong = { .k = TY_INT, .size = 8, .sign = true, .name = "long long" };
struct type t_ullong = { .k = TY_INT, .size = 8, .name = "unsigned long long" };
struct type t_bool = { .k = TY_INT, .size = 1, .name = "_Bool" };

static const struct { const char *name; struct type *t; } scalar_names[] = {
	{ "char", &t_char }, { "signed char", &t_char },
	{ "unsigned char", &t_uchar }, { "uchar_t", &t_uchar },
	{ "short", &t_short }, { "signed short", &t_short },
	{ "short int", &t_short }, { "unsigned short", &t_ushort },
	{ "unsigned short int", &t_ushort }, { "ushort_t", &t_ushort },
	{ "int", &t_int }, { "signed int", &t_int }, { "signed", &t_int },
	{ "unsigned", &t_uint }, { "unsigned int", &t_uint }, { "uint_t", &t_uint },
	{ "long", &t_long }, { "signed long", &t_long }, { "long int", &t_long },
	{ "unsigned long", &t_ulong }, { "unsigned long int", &t_ulong },
	{ "ulong_t", &t_ulong },
	{ "long long", &t_llong }, { "signed long long", &t_llong },
	{ "long long int", &t_llong }, { "longlong_t", &t_llong },
	{ "unsigned long long", &t_ullong }, { "unsigned long long int", &t_ullong },
	{ "u_longlong_t", &t_ullong },
	{ "int8_t", &t_char }, { "uint8_t", &t_uchar },
	{ "int16_t", &t_short }, { "uint16_t", &t_ushort },
	{ "int32_t", &t_int }, { "uint32_t", &t_uint },
	{ "int64_t", &t_llong }, { "uint64_t", &t_ullong },
	{ "intptr_t", &t_long }, { "uintptr_t", &t_ulong },
	{ "size_t", &t_ulong }, { "ssize_t", &t_long }, { "off_t", &t_long },
	{ "offset_t", &t_llong }, { "loff_t", &t_llong },
	{ "pid_t", &t_int }, { "id_t", &t_int }, { "uid_t", &t_uint },
	{ "gid_t", &t_uint }, { "taskid_t", &t_int }, { "projid_t", &t_int },
	{ "zoneid_t", &t_int }, { "processorid_t", &t_int }, { "psetid_t", &t_int },
	{ "time_t", &t_long }, { "hrtime_t", &t_llong }, { "clock_t", &t_long },
	{ "dev_t", &t_ulong }, { "major_t", &t_uint }, { "minor_t", &t_uint },
	{ "mode_t", &t_uint }, { "umode_t", &t_ushort }, { "caddr_t", NULL },
	{ "_Bool", &t_bool }, { "bool", &t_bool }, { "boolean_t", &t_int },
	{ "u8", &t_uchar }, { "u16", &t_ushort }, { "u32", &t_uint },
	{ "u64", &t_ullong }, { "s8", &t_char }, { "s16", &t_short },
	{ "s32", &t_int }, { "s64", &t_llong }, { "__u32", &t_uint },
	{ "__u64", &t_ullong }, { "__s32", &t_int }, { "__s64", &t_llong },
	{ "key_serial_t", &t_int }, { "qid_t", &t_uint }, { "timer_t", &t_int },
	{ "clockid_t", &t_int }, { "mqd_t", &t_int }, { "rwf_t", &t_int },
	{ "aio_context_t", &t_ulong }, { "cap_user_header_t", &t_ulong },
	{ "cap_user_data_t", &t_ulong },
};

struct type *type_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof scalar_names / sizeof scalar_names[0]; i++)
		if (strcmp(scalar_names[i].name, name) == 0)
			return scalar_names[i].t;
	return NULL;
}

struct type *type_int(struct arena *a, int size, bool sign)
{
	switch (size) {
	case 1: return sign ? &t_char : &t_uchar;
	case 2: return sign ? &t_short : &t_ushort;
	case 4: return sign ? &t_int : &t_uint;
	default: break;
	}
	(void)a;
	return sign ? &t_llong : &t_ullong;
}

struct type *type_ptr(struct arena *a, struct type *to, bool user)
{
	struct type *t = arena_alloc(a, sizeof *t);
	t->k = TY_PTR;
	t->size = 8;
	t->elem = to;
	t->user = user;
	return t;
}

struct type *type_array(struct arena *a, struct type *elem, int n)
{
	struct type *t = arena_alloc(a, sizeof *t);
	t->k = TY_ARRAY;
	t->elem = elem;
	t->nelem = n;
	t->size = elem->size * n;
	return t;
}

struct type *type_string(struct arena *a, int cap)
{
	struct type *t = arena_alloc(a, sizeof *t);
	t->k = TY_STRING;
	t->size = cap;
	t->name = "string";
	return t;
}

bool type_is_int(const struct type *t)
{
	return t && t->k == TY_INT;
}

bool type_is_scalar(const struct type *t)
{
	return t && (t->k == TY_INT || t->k == TY_PTR);
}

bool type_is_string(const struct type *t)
{
	if (!t)
		return false;
	if (t->k == TY_STRING)
		return true;
	if (t->k == TY_ARRAY && t->elem->k == TY_INT && t->elem->size == 1)
		return true;
	return false;
}

const char *type_str(const struct type *t, char *buf, int len)
{
	char inner[128];
	switch (t->k) {
	case TY_PTR:
		snprintf(buf, len, "%s *", type_str(t->elem, inner, sizeof inner));
		break;
	case TY_ARRAY:
		snprintf(buf, len, "%s [%d]", type_str(t->elem, inner, sizeof inner),
			 t->nelem);
		break;
	case TY_STACK:
		snprintf(buf, len, "stack");
		break;
	case TY_SYMADDR:
		snprintf(buf, len, "symbol");
		break;
	default:
		snprintf(buf, len, "%s", t->name ? t->name : "?");
		break;
	}
	return buf;
}

/* D's arithmetic conversions (dt_type_promote), which are not C's: there
 * is no promotion to int.  Each operand ranks by its width in bits plus
 * one if unsigned, and the higher rank is the result type, so a char
 * plus a char is a char and an unsigned char plus a char an unsigned
 * char (-2 + 3 in unsigned char and char is 1, not 257). */
struct type *type_arith(const struct type *a, const struct type *b)
{
	int ra = a->size * 8 + !a->sign, rb = b->size * 8 + !b->sign;
	const struct type *w = ra >= rb ? a : b;

	if (w->size > 8 || w->size < 1)
		return type_int(NULL, 8, true);
	return type_int(NULL, w->size, w->sign);
}
