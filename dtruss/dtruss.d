/*
 * dtruss.d - the D half of dtruss(1): every system call of the traced
 * processes, recorded at its return with the arguments saved at entry.
 *
 * main.c formats the lines itself: it knows from the kernel's syscall
 * metadata which arguments are strings and which are buffers, and tells
 * this program through the typed inline constants below (set with
 * dtk_set_int/dtk_set_str, never pasted into the text):
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
 *   DT_EXECVE    the number of execve
 *   N_w          4 bits a syscall, 16 syscalls a word (id = 16 w + k, bits
 *                4k..4k+3): how many arguments it takes (6 if unknown)
 *   P_w          the same layout, 16 syscalls a word (id = 16 w + k, bits
 *                4k..4k+3): what the call's line carries besides its
 *                values: 0 nothing, 1 + p the buffer at argument p
 *                (p = 0..3; the bytes the call moved, its return value
 *                capped), 5 + p the string at argument p (p = 0..5)
 *   X_w          bit (id & 63) of word w = id / 64: the call has more
 *                strings or buffers than its line carries
 *   Sp_w         the same for each argument p (0..5) that is such an
 *                extra NUL-terminated string
 *   Bp_w         ... and each argument p (0..3) that is an extra buffer
 *
 * In a syscall probe, id is the syscall number.  Strings are read at
 * return, when the kernel has brought their pages in (at entry a page
 * not yet touched reads as a fault), except for exec: its return runs in
 * the new image, so the path is read at entry.
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

syscall:::entry
/(DT_ONLY < 0 || id == DT_ONLY) &&
 (DT_MODE == 1 ?
    (pid == $target ? started || !DT_HELD || id == DT_EXECVE :
     DT_FOLLOW && progenyof($target)) :
  DT_MODE == 2 ? execname == DT_NAME :
  wpid != 0 && (pid == wpid || (DT_FOLLOW && progenyof(wpid))))/
{
	/* each argument is a kernel read from the saved registers: only
	 * those the call has (read and write: 3 of 6) */
	this->nargs = id < 0 || id >= 512 ? 6 : ((id < 16 ? N_0 : id < 32 ? N_1 : id < 48 ? N_2 :
	    id < 64 ? N_3 : id < 80 ? N_4 : id < 96 ? N_5 : id < 112 ? N_6 :
	    id < 128 ? N_7 : id < 144 ? N_8 : id < 160 ? N_9 : id < 176 ? N_10 :
	    id < 192 ? N_11 : id < 208 ? N_12 : id < 224 ? N_13 : id < 240 ? N_14 :
	    id < 256 ? N_15 : id < 272 ? N_16 : id < 288 ? N_17 : id < 304 ? N_18 :
	    id < 320 ? N_19 : id < 336 ? N_20 : id < 352 ? N_21 : id < 368 ? N_22 :
	    id < 384 ? N_23 : id < 400 ? N_24 : id < 416 ? N_25 : id < 432 ? N_26 :
	    id < 448 ? N_27 : id < 464 ? N_28 : id < 480 ? N_29 : id < 496 ? N_30 :
	    N_31) >> (id & 15) * 4) & 15;
	self->a0 = this->nargs > 0 ? arg0 : 0;
	self->a1 = this->nargs > 1 ? arg1 : 0;
	self->a2 = this->nargs > 2 ? arg2 : 0;
	self->a3 = this->nargs > 3 ? arg3 : 0;
	self->a4 = this->nargs > 4 ? arg4 : 0;
	self->a5 = this->nargs > 5 ? arg5 : 0;
	self->vstart = DT_CPU ? vtimestamp : 0;
	self->start = DT_TIME ? timestamp : 0;
	self->ok = 1;
}

/*
 * A command (DT_HELD) is traced from its exec: the calls our child makes
 * before it, and the exec attempts of its PATH search that fail, are ours,
 * not the command's.
 */
syscall::execve:return
/DT_HELD && !started && pid == $target/
{
	self->ok = errno == 0 ? self->ok : 0;
	started = errno == 0;
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

syscall::execve:return, syscall::execveat:return
/self->ok && self->exok/
{
	printf("%d %d %d %d %s", 1, tid, id, self->expos, self->expath);
	self->exok = 0;
}

/*
 * What this call's records hold: computed once for the clauses below
 * (this-> variables live for the whole probe firing).
 */
syscall:::return
/self->ok/
{
	this->pay = id < 0 ? 0 : ((id < 16 ? P_0 : id < 32 ? P_1 : id < 48 ? P_2 :
	    id < 64 ? P_3 : id < 80 ? P_4 : id < 96 ? P_5 : id < 112 ? P_6 :
	    id < 128 ? P_7 : id < 144 ? P_8 : id < 160 ? P_9 : id < 176 ? P_10 :
	    id < 192 ? P_11 : id < 208 ? P_12 : id < 224 ? P_13 : id < 240 ? P_14 :
	    id < 256 ? P_15 : id < 272 ? P_16 : id < 288 ? P_17 : id < 304 ? P_18 :
	    id < 320 ? P_19 : id < 336 ? P_20 : id < 352 ? P_21 : id < 368 ? P_22 :
	    id < 384 ? P_23 : id < 400 ? P_24 : id < 416 ? P_25 : id < 432 ? P_26 :
	    id < 448 ? P_27 : id < 464 ? P_28 : id < 480 ? P_29 : id < 496 ? P_30 :
	    id < 512 ? P_31 : 0) >> (id & 15) * 4) & 15;
	this->extra = id < 0 ? 0 : ((id < 64 ? X_0 : id < 128 ? X_1 : id < 192 ? X_2 : id < 256 ? X_3 :
	    id < 320 ? X_4 : id < 384 ? X_5 : id < 448 ? X_6 : id < 512 ? X_7 : 0) >> (id & 63)) & 1;
}

syscall:::return
/this->extra && self->ok &&
 ((id < 64 ? S0_0 : id < 128 ? S0_1 : id < 192 ? S0_2 : id < 256 ? S0_3 :
   id < 320 ? S0_4 : id < 384 ? S0_5 : id < 448 ? S0_6 : id < 512 ? S0_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 0, copyinstr(self->a0));
}

syscall:::return
/this->extra && self->ok &&
 ((id < 64 ? S1_0 : id < 128 ? S1_1 : id < 192 ? S1_2 : id < 256 ? S1_3 :
   id < 320 ? S1_4 : id < 384 ? S1_5 : id < 448 ? S1_6 : id < 512 ? S1_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 1, copyinstr(self->a1));
}

syscall:::return
/this->extra && self->ok &&
 ((id < 64 ? S2_0 : id < 128 ? S2_1 : id < 192 ? S2_2 : id < 256 ? S2_3 :
   id < 320 ? S2_4 : id < 384 ? S2_5 : id < 448 ? S2_6 : id < 512 ? S2_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 2, copyinstr(self->a2));
}

syscall:::return
/this->extra && self->ok &&
 ((id < 64 ? S3_0 : id < 128 ? S3_1 : id < 192 ? S3_2 : id < 256 ? S3_3 :
   id < 320 ? S3_4 : id < 384 ? S3_5 : id < 448 ? S3_6 : id < 512 ? S3_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 3, copyinstr(self->a3));
}

syscall:::return
/this->extra && self->ok &&
 ((id < 64 ? S4_0 : id < 128 ? S4_1 : id < 192 ? S4_2 : id < 256 ? S4_3 :
   id < 320 ? S4_4 : id < 384 ? S4_5 : id < 448 ? S4_6 : id < 512 ? S4_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 4, copyinstr(self->a4));
}

syscall:::return
/this->extra && self->ok &&
 ((id < 64 ? S5_0 : id < 128 ? S5_1 : id < 192 ? S5_2 : id < 256 ? S5_3 :
   id < 320 ? S5_4 : id < 384 ? S5_5 : id < 448 ? S5_6 : id < 512 ? S5_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 5, copyinstr(self->a5));
}

syscall:::return
/this->extra && self->ok && (int64_t)arg0 > 0 &&
 ((id < 64 ? B0_0 : id < 128 ? B0_1 : id < 192 ? B0_2 : id < 256 ? B0_3 :
   id < 320 ? B0_4 : id < 384 ? B0_5 : id < 448 ? B0_6 : id < 512 ? B0_7 : 0)
  >> (id & 63)) & 1/
{
	this->n = (int64_t)arg0 < (int64_t)self->a1 ? (int64_t)arg0 : (int64_t)self->a1;
	printf("%d %d %d %d %d %s", 2, tid, id, 0, this->n,
	    stringof(copyin(self->a0, this->n)));
}

syscall:::return
/this->extra && self->ok && (int64_t)arg0 > 0 &&
 ((id < 64 ? B1_0 : id < 128 ? B1_1 : id < 192 ? B1_2 : id < 256 ? B1_3 :
   id < 320 ? B1_4 : id < 384 ? B1_5 : id < 448 ? B1_6 : id < 512 ? B1_7 : 0)
  >> (id & 63)) & 1/
{
	this->n = (int64_t)arg0 < (int64_t)self->a2 ? (int64_t)arg0 : (int64_t)self->a2;
	printf("%d %d %d %d %d %s", 2, tid, id, 1, this->n,
	    stringof(copyin(self->a1, this->n)));
}

syscall:::return
/this->extra && self->ok && (int64_t)arg0 > 0 &&
 ((id < 64 ? B2_0 : id < 128 ? B2_1 : id < 192 ? B2_2 : id < 256 ? B2_3 :
   id < 320 ? B2_4 : id < 384 ? B2_5 : id < 448 ? B2_6 : id < 512 ? B2_7 : 0)
  >> (id & 63)) & 1/
{
	this->n = (int64_t)arg0 < (int64_t)self->a3 ? (int64_t)arg0 : (int64_t)self->a3;
	printf("%d %d %d %d %d %s", 2, tid, id, 2, this->n,
	    stringof(copyin(self->a2, this->n)));
}

syscall:::return
/this->extra && self->ok && (int64_t)arg0 > 0 &&
 ((id < 64 ? B3_0 : id < 128 ? B3_1 : id < 192 ? B3_2 : id < 256 ? B3_3 :
   id < 320 ? B3_4 : id < 384 ? B3_5 : id < 448 ? B3_6 : id < 512 ? B3_7 : 0)
  >> (id & 63)) & 1/
{
	this->n = (int64_t)arg0 < (int64_t)self->a4 ? (int64_t)arg0 : (int64_t)self->a4;
	printf("%d %d %d %d %d %s", 2, tid, id, 3, this->n,
	    stringof(copyin(self->a3, this->n)));
}
/*
 * The line; with the bytes its buffer moved (raw: NULs included).  The
 * extra clauses above are tested by this->extra first: it is 0 for most
 * calls, and a clause that is skipped costs its predicate.
 */
syscall:::return
/this->pay < 5 && self->ok/
{
	if (this->pay != 0 && (int64_t)arg0 > 0) {
		this->p = this->pay == 1 ? self->a0 : this->pay == 2 ? self->a1 :
		    this->pay == 3 ? self->a2 : self->a3;
		this->len = this->pay == 1 ? self->a1 : this->pay == 2 ? self->a2 :
		    this->pay == 3 ? self->a3 : self->a4;
		this->n = (int64_t)arg0 < (int64_t)this->len ? (int64_t)arg0 :
		    (int64_t)this->len;
		printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %s", 4, id, pid, tid,
		    self->a0, self->a1, self->a2, self->a3, self->a4, self->a5,
		    (int64_t)arg0, errno, DT_TIME ? timestamp : 0,
		    DT_TIME ? timestamp - self->start : 0,
		    DT_CPU ? vtimestamp - self->vstart : 0,
		    this->pay - 1, this->n, stringof(copyin(this->p, this->n)));
	} else {
		printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d", 3, id, pid, tid,
		    self->a0, self->a1, self->a2, self->a3, self->a4, self->a5,
		    (int64_t)arg0, errno, DT_TIME ? timestamp : 0,
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
/this->pay >= 5 && self->ok/
{
	this->p = this->pay == 5 ? self->a0 : this->pay == 6 ? self->a1 :
	    this->pay == 7 ? self->a2 : this->pay == 8 ? self->a3 :
	    this->pay == 9 ? self->a4 : self->a5;
	this->lined = 0;
}

syscall:::return
/this->pay >= 5 && self->ok && this->p != 0/
{
	printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %s", 5, id, pid, tid,
	    self->a0, self->a1, self->a2, self->a3, self->a4, self->a5,
	    (int64_t)arg0, errno, DT_TIME ? timestamp : 0,
	    DT_TIME ? timestamp - self->start : 0,
	    DT_CPU ? vtimestamp - self->vstart : 0,
	    this->pay - 5, copyinstr(this->p));
	this->lined = 1;
}

syscall:::return
/this->pay >= 5 && self->ok && !this->lined/
{
	printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d", 3, id, pid, tid,
	    self->a0, self->a1, self->a2, self->a3, self->a4, self->a5,
	    (int64_t)arg0, errno, DT_TIME ? timestamp : 0,
	    DT_TIME ? timestamp - self->start : 0,
	    DT_CPU ? vtimestamp - self->vstart : 0);
}

syscall:::return
/DT_COUNTS && self->ok/
{
	@calls[probefunc] = count();
}

/*
 * Only self->ok is cleared after a call: the next entry overwrites the
 * rest, so that a thread's variables are made once, not once a call.
 * They go when the thread ends.
 */
syscall:::return
/self->ok/
{
	if (DT_STACK)
		ustack();
	self->ok = 0;
}

/* (a process exit is rare enough to run this for each) */
proc:::exit, proc:::lwp-exit
{
	self->ok = 0;
	self->a0 = 0;
	self->a1 = 0;
	self->a2 = 0;
	self->a3 = 0;
	self->a4 = 0;
	self->a5 = 0;
	self->start = 0;
	self->vstart = 0;
	self->expos = 0;
	self->exok = 0;
}

dtrace:::END
/DT_COUNTS/
{
	printf("\n%-32s %16s\n", "CALL", "COUNT");
	printa("%-32s %@16d\n", @calls);
}
