/*
 * dtruss.d - the D half of dtruss(1): every system call of the traced
 * processes, recorded at its return.
 *
 * main.c formats the lines itself: it knows from the kernel's syscall
 * metadata which arguments are strings and which are buffers, and tells
 * this program through typed inline constants and tables indexed by the
 * syscall number (set with dtk_set_int/dtk_set_str/dtk_set_table, never
 * pasted into the text):
 *
 *   DT_MODE      1: the target ($target, -c or -p); 2: processes named
 *                DT_NAME (-n); 3: the first process to exec as DT_NAME,
 *                until it exits (-W)
 *   DT_FOLLOW    1: also the target's descendants (-f)
 *   DT_ONLY      a syscall number (-t), or -1 for all
 *   DT_CPU       1: measure on-CPU time (-o); DT_COUNTS 1: count (-c)
 *   DT_TIME      1: timestamps are printed (-d, -e)
 *   DT_STACK     1: a user stack after each line (-s)
 *   DT_HELD      1: $target is a command we started, held before its exec
 *   DT_EXECVE, DT_EXECVEAT  the numbers of execve and execveat
 *   DT_FAST      1: a call is seen at its return only (below)
 *   DT_R0..DT_R5 the uregs[] words that hold a call's arguments
 *   INFO[id]     one word per syscall, read once a firing:
 *                bits 0-2  nargs: how many arguments the call takes (6
 *                          if unknown); only those are read at entry
 *                bits 4-7  pay: what the call's line carries besides its
 *                          values: 0 nothing, 1 + p the buffer at argument
 *                          p (p = 0..3; the bytes the call moved, its
 *                          return value capped), 5 + p the string at
 *                          argument p (p = 0..5)
 *                bits 8-11, 12-15  1 + p: argument p is a NUL-terminated
 *                          string the line does not carry (an extra
 *                          record); 0: none
 *                bits 16-19 1 + p: argument p (0..3) is such an extra
 *                          buffer, its length argument p + 1
 *                bit 20    the call returns twice, 0 in a new process
 *                          (fork, clone): that return is not a call the
 *                          child made
 *
 * DT_FAST (main.c sets it where the kernel leaves a call's arguments in
 * the saved user registers until it returns, and nothing is timed from
 * the entry): the arguments are read at the return from those registers,
 * so that a call costs one probe that does anything, not two, and no
 * per-thread variable.  Exec is the exception: its return runs in the new
 * image, whose registers are not the call's, so exec's arguments and path
 * are kept at its entry.  Without DT_FAST every call's arguments are kept
 * at its entry in self-> variables.
 *
 * In a syscall probe, id is the syscall number.  Strings are read at
 * return, when the kernel has brought their pages in (at entry a page
 * not yet touched reads as a fault), except for exec's path.
 *
 * One ring-buffer record a call in the common case (read, write, open:
 * at most one buffer or string); told apart by their first value:
 *   1 tid id pos string          an extra argument that is a string
 *   2 tid id pos n bytes         an extra argument that is a buffer
 *   3 LINE                       the call itself, after its 1 and 2 records
 *   4 LINE pos n bytes           ... with the bytes of its buffer
 *   5 LINE pos string            ... with its string
 * where LINE is id pid tid a0..a5 ret errno timestamp elapsed oncpu.
 */

#pragma D option quiet

int wpid;			/* -W: the process found */
int started;			/* DT_HELD: the command has been exec'd */

/* -W: the first process to start as DT_NAME, traced from its exec */
proc:::exec-success
/DT_MODE == 3 && wpid == 0 && execname == DT_NAME/
{
	wpid = pid;
}

proc:::exit
/DT_MODE == 3 && wpid != 0 && pid == wpid/
{
	exit(0);
}

/*
 * The calls traced, at entry.  A command (DT_HELD) is traced from its
 * exec: the calls our child makes before it, and the exec attempts of its
 * PATH search that fail, are ours, not the command's.
 */
syscall:::entry
/!DT_FAST && (DT_ONLY < 0 || id == DT_ONLY) &&
 (DT_MODE == 1 ?
    (pid == $target ? started || !DT_HELD || id == DT_EXECVE :
     DT_FOLLOW && progenyof($target)) :
  DT_MODE == 2 ? execname == DT_NAME :
  wpid != 0 && (pid == wpid || (DT_FOLLOW && progenyof(wpid))))/
{
	/* only the arguments the call has (read and write: 3 of 6); the
	 * others keep an earlier call's values, which main.c never prints */
	this->nargs = INFO[id] & 7;
	self->a0 = arg0;
	self->a1 = arg1;
	self->a2 = arg2;
	if (this->nargs > 3) {
		self->a3 = arg3;
		self->a4 = arg4;
		self->a5 = arg5;
	}
	if (DT_CPU)
		self->vstart = vtimestamp;
	if (DT_TIME)
		self->start = timestamp;
	self->ok = 1;
}

/* ... and under DT_FAST, exec's only */
syscall::execve:entry, syscall::execveat:entry
/DT_FAST && (DT_ONLY < 0 || id == DT_ONLY) &&
 (DT_MODE == 1 ?
    (pid == $target ? started || !DT_HELD || id == DT_EXECVE :
     DT_FOLLOW && progenyof($target)) :
  DT_MODE == 2 ? execname == DT_NAME :
  wpid != 0 && (pid == wpid || (DT_FOLLOW && progenyof(wpid))))/
{
	self->a0 = arg0;
	self->a1 = arg1;
	self->a2 = arg2;
	self->a3 = arg3;
	self->a4 = arg4;
	self->a5 = arg5;
	self->ok = 1;
}

syscall::execve:entry
/self->ok/
{
	self->expos = 0;
	self->exok = 0;
	self->expath = copyinstr(arg0);
	self->exok = 1;
}

syscall::execveat:entry
/self->ok/
{
	self->expos = 1;
	self->exok = 0;
	self->expath = copyinstr(arg1);
	self->exok = 1;
}

syscall::execve:return
/DT_HELD && !started && pid == $target/
{
	self->ok = errno == 0 ? self->ok : 0;
	started = errno == 0;
}

/*
 * Is this return a traced call's (this->ok), and its arguments (this->a0
 * .. this->a5), return value (this->ret) and INFO word (this->info).
 * this-> variables live for the whole probe firing: the clauses below
 * test this->ok first.  Under DT_FAST a call other than exec is read here
 * alone, from the saved registers, with the filter of the entry tested
 * here; no per-thread variable is touched (its lookup is a helper call).
 */
syscall:::return
{
	this->ok = (int64_t)0;	/* 64 bits: a test is a load and a jump */
}

syscall:::return
/DT_FAST && id != DT_EXECVE && id != DT_EXECVEAT &&
 (DT_ONLY < 0 || id == DT_ONLY) &&
 (DT_MODE == 1 ?
    (pid == $target ? started || !DT_HELD : DT_FOLLOW && progenyof($target)) :
  DT_MODE == 2 ? execname == DT_NAME :
  wpid != 0 && (pid == wpid || (DT_FOLLOW && progenyof(wpid))))/
{
	this->info = INFO[id];
	this->ret = (int64_t)arg0;
	/* a fork's return in the child is not a call the child made */
	this->ok = (int64_t)(this->ret != 0 || !((this->info >> 20) & 1));
	this->a0 = uregs[DT_R0];
	this->a1 = uregs[DT_R1];
	this->a2 = uregs[DT_R2];
	this->a3 = uregs[DT_R3];
	this->a4 = uregs[DT_R4];
	this->a5 = uregs[DT_R5];
}

/* ... else what its entry kept (all calls without DT_FAST, exec with it) */
syscall:::return
/(!DT_FAST || id == DT_EXECVE || id == DT_EXECVEAT) && self->ok/
{
	this->info = INFO[id];
	this->ret = (int64_t)arg0;
	this->ok = (int64_t)1;
	this->a0 = self->a0;
	this->a1 = self->a1;
	this->a2 = self->a2;
	this->a3 = self->a3;
	this->a4 = self->a4;
	this->a5 = self->a5;
	/* the next entry overwrites the rest, so that a thread's variables
	 * are made once, not once a call; they go when the thread ends
	 * (self-> variables are the thread's own storage) */
	self->ok = 0;
}

syscall::execve:return, syscall::execveat:return
/this->ok && self->exok/
{
	printf("%d %d %d %d %s", 1, tid, id, self->expos, self->expath);
	self->exok = 0;
}

/*
 * The extra strings and buffer, each at a position INFO gives (this->x is
 * 0 when the call has none: most calls have none, and the first test
 * skips the clause; this->info may be an earlier firing's, this->ok
 * tells).
 */
syscall:::return
/(this->info & 0xf00) && this->ok && (this->x = (this->info >> 8) & 15) != 0/
{
	this->xp = this->x == 1 ? this->a0 : this->x == 2 ? this->a1 :
	    this->x == 3 ? this->a2 : this->x == 4 ? this->a3 :
	    this->x == 5 ? this->a4 : this->a5;
	printf("%d %d %d %d %s", 1, tid, id, this->x - 1, copyinstr(this->xp));
}

syscall:::return
/(this->info & 0xf000) && this->ok &&
 (this->x = (this->info >> 12) & 15) != 0/
{
	this->xp = this->x == 1 ? this->a0 : this->x == 2 ? this->a1 :
	    this->x == 3 ? this->a2 : this->x == 4 ? this->a3 :
	    this->x == 5 ? this->a4 : this->a5;
	printf("%d %d %d %d %s", 1, tid, id, this->x - 1, copyinstr(this->xp));
}

syscall:::return
/(this->info & 0xf0000) && this->ok &&
 (this->x = (this->info >> 16) & 15) != 0 && this->ret > 0/
{
	this->xp = this->x == 1 ? this->a0 : this->x == 2 ? this->a1 :
	    this->x == 3 ? this->a2 : this->a3;
	this->len = this->x == 1 ? this->a1 : this->x == 2 ? this->a2 :
	    this->x == 3 ? this->a3 : this->a4;
	this->n = this->ret < (int64_t)this->len ? this->ret : (int64_t)this->len;
	printf("%d %d %d %d %d %s", 2, tid, id, this->x - 1, this->n,
	    stringof(copyin(this->xp, this->n)));
}

/*
 * The line; with the bytes its buffer moved (raw: NULs included).
 */
syscall:::return
/this->ok && (this->pay = (this->info >> 4) & 15) < 5/
{
	if (this->pay != 0 && this->ret > 0) {
		/* most buffers are argument 1 (read, write, ...) */
		this->p = this->pay == 2 ? this->a1 : this->pay == 1 ? this->a0 :
		    this->pay == 3 ? this->a2 : this->a3;
		this->len = this->pay == 2 ? this->a2 : this->pay == 1 ? this->a1 :
		    this->pay == 3 ? this->a3 : this->a4;
		this->n = this->ret < (int64_t)this->len ? this->ret :
		    (int64_t)this->len;
		printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %s", 4, id, pid, tid,
		    this->a0, this->a1, this->a2, this->a3, this->a4, this->a5,
		    this->ret, errno, DT_TIME ? timestamp : 0,
		    DT_TIME ? timestamp - self->start : 0,
		    DT_CPU ? vtimestamp - self->vstart : 0,
		    this->pay - 1, this->n, stringof(copyin(this->p, this->n)));
	} else {
		printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d", 3, id, pid, tid,
		    this->a0, this->a1, this->a2, this->a3, this->a4, this->a5,
		    this->ret, errno, DT_TIME ? timestamp : 0,
		    DT_TIME ? timestamp - self->start : 0,
		    DT_CPU ? vtimestamp - self->vstart : 0);
	}
}

/*
 * The line, with its string.  A string that cannot be read faults in
 * copyinstr(), which ends the clause before its printf: the plain line
 * after it then shows the argument as a number.
 */
syscall:::return
/this->pay >= 5 && this->ok/
{
	this->p = this->pay == 5 ? this->a0 : this->pay == 6 ? this->a1 :
	    this->pay == 7 ? this->a2 : this->pay == 8 ? this->a3 :
	    this->pay == 9 ? this->a4 : this->a5;
	this->lined = 0;
}

syscall:::return
/this->pay >= 5 && this->ok && this->p != 0/
{
	printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %s", 5, id, pid, tid,
	    this->a0, this->a1, this->a2, this->a3, this->a4, this->a5,
	    this->ret, errno, DT_TIME ? timestamp : 0,
	    DT_TIME ? timestamp - self->start : 0,
	    DT_CPU ? vtimestamp - self->vstart : 0,
	    this->pay - 5, copyinstr(this->p));
	this->lined = 1;
}

syscall:::return
/this->pay >= 5 && this->ok && !this->lined/
{
	printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d", 3, id, pid, tid,
	    this->a0, this->a1, this->a2, this->a3, this->a4, this->a5,
	    this->ret, errno, DT_TIME ? timestamp : 0,
	    DT_TIME ? timestamp - self->start : 0,
	    DT_CPU ? vtimestamp - self->vstart : 0);
}

syscall:::return
/DT_COUNTS && this->ok/
{
	@calls[probefunc] = count();
}

syscall:::return
/DT_STACK && this->ok/
{
	ustack();
}

dtrace:::END
/DT_COUNTS/
{
	printf("\n%-32s %16s\n", "CALL", "COUNT");
	printa("%-32s %@16d\n", @calls);
}
