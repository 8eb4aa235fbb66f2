/* lang.h - the language's group: what common/lang/ offers the groups above
 * it (cg/, prov/, run/).  A file there includes this, or the headers named
 * here; the others of lang/ are its own (tests/includes.sh checks).
 *
 *   parse.h lex.h ast.h  D source to the AST (tokens name its operators)
 *   types.h              D's types, as the checker gives them to the AST
 *   symtab.h             the program's names: variables, aggregations
 *   builtins.h func.h    built-in variables; D's functions, one row each
 *                        (cg/funcs.c holds the rows)
 *   sema.h               what the checker offers the functions' checks
 *   compile.h            the compile's state, and its two stages:
 *                        sema_program() and codegen()
 *   consts.h             D's predefined constants (signals, errnos)
 *   probes.h             the probe table and matching
 *   provider_ops.h       struct provider: the operations the table, the
 *                        checker and the generator call (prov/ has them)
 *   probes_impl.h        the table's insides, for the providers that fill it
 */
#ifndef DTK_LANG_H
#define DTK_LANG_H

#include "ast.h"
#include "builtins.h"
#include "compile.h"
#include "consts.h"
#include "func.h"
#include "lex.h"
#include "parse.h"
#include "probes.h"
#include "probes_impl.h"
#include "provider_ops.h"
#include "sema.h"
#include "symtab.h"
#include "types.h"

#endif
