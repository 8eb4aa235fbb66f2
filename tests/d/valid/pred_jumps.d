/* A predicate of two comparisons with constants compiles to two jumps
 * with immediates (cg/codegen_expr.c): its budget in insns.budget holds
 * the clause to what that costs, not to a value computed then tested. */
syscall::read:entry
/pid == 1234 && arg0 == 3/
{
	@ = count();
}
