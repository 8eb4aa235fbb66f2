#pragma D option bufpolicy=ring
BEGIN { exit(0); }
