/* fn.h - the checks and generators of D's functions, for their table
 * (funcs.c): one row a function, func.h says what each does. */
#ifndef DTK_FN_H
#define DTK_FN_H

#include "ast.h"
#include "func.h"

/* fn_str.c */
void check_copyinstr(struct sema *s, struct node *n);
void check_strlen(struct sema *s, struct node *n);
void check_str_str(struct sema *s, struct node *n);
void check_strchr(struct sema *s, struct node *n);
void check_index(struct sema *s, struct node *n);
void check_substr(struct sema *s, struct node *n);
void check_str(struct sema *s, struct node *n);
void check_strtoll(struct sema *s, struct node *n);
void check_strtok(struct sema *s, struct node *n);
void check_lltostr(struct sema *s, struct node *n);

/* fn_int.c */
void check_copyin(struct sema *s, struct node *n);
void check_alloca(struct sema *s, struct node *n);
void check_progenyof(struct sema *s, struct node *n);
void check_rand(struct sema *s, struct node *n);
void check_byteorder(struct sema *s, struct node *n);
void check_devpart(struct sema *s, struct node *n);
void check_symaddr(struct sema *s, struct node *n);

/* fn_act.c */
void check_printf(struct sema *s, struct node *n);
void check_printa(struct sema *s, struct node *n);
void check_agg_action(struct sema *s, struct node *n);
void check_trace(struct sema *s, struct node *n);
void check_int_action(struct sema *s, struct node *n);
void check_stack(struct sema *s, struct node *n);
void check_setopt(struct sema *s, struct node *n);
void check_tracemem(struct sema *s, struct node *n);
void check_stop(struct sema *s, struct node *n);
void check_copyout(struct sema *s, struct node *n);

#endif
