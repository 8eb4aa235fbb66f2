/* fn.h - the checks and generators of D's functions, for their table
 * (funcs.c): one row a function, func.h says what each does. */
#ifndef DTK_FN_H
#define DTK_FN_H

#include "ast.h"
#include "func.h"

/* fn_str.c: the string subroutines, each its check and its code
 * (strtok: fn_strtok.c) */
void check_copyinstr(struct sema *s, struct node *n);
void gen_copyinstr(struct cg *c, struct node *n, int dst);
void check_strlen(struct sema *s, struct node *n);
int gen_strlen(struct cg *c, struct node *n);
void check_str_str(struct sema *s, struct node *n);	/* strjoin, strstr */
void gen_strjoin(struct cg *c, struct node *n, int dst);
void gen_strstr(struct cg *c, struct node *n, int dst);
void check_strchr(struct sema *s, struct node *n);	/* strchr, strrchr */
void gen_strchr(struct cg *c, struct node *n, int dst);
void check_index(struct sema *s, struct node *n);	/* index, rindex */
int gen_index(struct cg *c, struct node *n);
void check_substr(struct sema *s, struct node *n);
void gen_substr(struct cg *c, struct node *n, int dst);
void check_str(struct sema *s, struct node *n);	/* of one string */
void gen_path_part(struct cg *c, struct node *n, int dst); /* basename... */
void gen_case(struct cg *c, struct node *n, int dst);	/* toupper... */
void check_strtoll(struct sema *s, struct node *n);
int gen_strtoll(struct cg *c, struct node *n);
void check_lltostr(struct sema *s, struct node *n);
void gen_lltostr(struct cg *c, struct node *n, int dst);

/* fn_strtok.c */
void check_strtok(struct sema *s, struct node *n);
void gen_strtok(struct cg *c, struct node *n, int dst);

/* fn_int.c: the subroutines of integers and addresses */
void check_copyin(struct sema *s, struct node *n);
int gen_copyin(struct cg *c, struct node *n);
void check_alloca(struct sema *s, struct node *n);
int gen_alloca(struct cg *c, struct node *n);
void check_progenyof(struct sema *s, struct node *n);
int gen_progenyof(struct cg *c, struct node *n);
void check_rand(struct sema *s, struct node *n);
int gen_rand(struct cg *c, struct node *n);
void check_byteorder(struct sema *s, struct node *n);	/* htons... */
int gen_byteorder(struct cg *c, struct node *n);
void check_devpart(struct sema *s, struct node *n);	/* getmajor... */
int gen_devpart(struct cg *c, struct node *n);
void check_symaddr(struct sema *s, struct node *n);	/* func, usym... */
int gen_symaddr(struct cg *c, struct node *n);

/* fn_act.c: the actions (stack( ) & co.: codegen_stack.c; tracemem( ),
 * print( ): fn_tracemem.c) */
void check_printf(struct sema *s, struct node *n);	/* printf, system */
void act_printf(struct cg *c, struct node *n);
void act_system(struct cg *c, struct node *n);
void check_printa(struct sema *s, struct node *n);
void act_printa(struct cg *c, struct node *n);
void check_agg_action(struct sema *s, struct node *n);	/* clear... */
void act_agg(struct cg *c, struct node *n);
void check_trace(struct sema *s, struct node *n);
void act_trace(struct cg *c, struct node *n);
void check_int_action(struct sema *s, struct node *n);	/* exit, raise */
void act_exit(struct cg *c, struct node *n);
void act_raise(struct cg *c, struct node *n);
void check_setopt(struct sema *s, struct node *n);
void act_setopt(struct cg *c, struct node *n);
void check_stop(struct sema *s, struct node *n);
void act_stop(struct cg *c, struct node *n);
void check_copyout(struct sema *s, struct node *n);	/* copyoutstr too */
void act_copyout(struct cg *c, struct node *n);

/* fn_tracemem.c */
void check_tracemem(struct sema *s, struct node *n);
void act_tracemem(struct cg *c, struct node *n);
void check_print(struct sema *s, struct node *n);
void act_print(struct cg *c, struct node *n);

/* fn_agg.c: the aggregating functions: their code, and lquantize( )'s
 * and llquantize( )'s parameters and sizes */
void params_lquantize(struct sema *s, struct node *n, int64_t *par);
void params_llquantize(struct sema *s, struct node *n, int64_t *par);
int aggsize_lquantize(const struct sym *y);
int aggsize_llquantize(const struct sym *y);
void add_count(struct cg *c, struct node *n, struct sym *y);
void add_sum(struct cg *c, struct node *n, struct sym *y);
void add_avg(struct cg *c, struct node *n, struct sym *y);
void add_minmax(struct cg *c, struct node *n, struct sym *y);
void add_stddev(struct cg *c, struct node *n, struct sym *y);
void add_quantize(struct cg *c, struct node *n, struct sym *y);
void add_lquantize(struct cg *c, struct node *n, struct sym *y);
void add_llquantize(struct cg *c, struct node *n, struct sym *y);

/* codegen_stack.c: stack( ), ustack( ), jstack( ) */
void check_stack(struct sema *s, struct node *n);
void gen_stack_action(struct cg *c, struct node *n);

#endif
