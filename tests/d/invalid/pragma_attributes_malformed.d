#pragma D attributes Evolving
BEGIN { exit(0); }
