int foo(static int);
BEGIN { exit(0); }
