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
 *   DT_STACK     1: a user stack after each line (-s)
 *   DT_HELD      1: $target is a command we started, held before its exec
 *   DT_EXECVE    the number of execve
 *   Sp_w         bit (id & 63) of word w = id / 64: argument p of syscall
 *                id is a NUL-terminated string (p = 0..5)
 *   Bp_w         the same for buffers, which are shown as the bytes the
 *                call transferred (its return value, capped) (p = 0..3)
 *
 * In a syscall probe, id is the syscall number.  Strings are read at
 * return, when the kernel has brought their pages in (at entry a page
 * not yet touched reads as a fault), except for exec: its return runs in
 * the new image, so the path is read at entry.
 *
 * Records, told apart by their first value:
 *   1 tid id pos string          an argument that is a string
 *   2 tid id pos n bytes         an argument that is a buffer of n bytes
 *   3 id pid tid a0..a5 ret errno timestamp elapsed oncpu
 *                                the call itself, after its 1 and 2 records
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
	self->a0 = arg0;
	self->a1 = arg1;
	self->a2 = arg2;
	self->a3 = arg3;
	self->a4 = arg4;
	self->a5 = arg5;
	self->vstart = DT_CPU ? vtimestamp : 0;
	self->start = timestamp;
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

syscall:::return
/self->ok &&
 ((id < 64 ? S0_0 : id < 128 ? S0_1 : id < 192 ? S0_2 : id < 256 ? S0_3 :
   id < 320 ? S0_4 : id < 384 ? S0_5 : id < 448 ? S0_6 : id < 512 ? S0_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 0, copyinstr(self->a0));
}

syscall:::return
/self->ok &&
 ((id < 64 ? S1_0 : id < 128 ? S1_1 : id < 192 ? S1_2 : id < 256 ? S1_3 :
   id < 320 ? S1_4 : id < 384 ? S1_5 : id < 448 ? S1_6 : id < 512 ? S1_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 1, copyinstr(self->a1));
}

syscall:::return
/self->ok &&
 ((id < 64 ? S2_0 : id < 128 ? S2_1 : id < 192 ? S2_2 : id < 256 ? S2_3 :
   id < 320 ? S2_4 : id < 384 ? S2_5 : id < 448 ? S2_6 : id < 512 ? S2_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 2, copyinstr(self->a2));
}

syscall:::return
/self->ok &&
 ((id < 64 ? S3_0 : id < 128 ? S3_1 : id < 192 ? S3_2 : id < 256 ? S3_3 :
   id < 320 ? S3_4 : id < 384 ? S3_5 : id < 448 ? S3_6 : id < 512 ? S3_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 3, copyinstr(self->a3));
}

syscall:::return
/self->ok &&
 ((id < 64 ? S4_0 : id < 128 ? S4_1 : id < 192 ? S4_2 : id < 256 ? S4_3 :
   id < 320 ? S4_4 : id < 384 ? S4_5 : id < 448 ? S4_6 : id < 512 ? S4_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 4, copyinstr(self->a4));
}

syscall:::return
/self->ok &&
 ((id < 64 ? S5_0 : id < 128 ? S5_1 : id < 192 ? S5_2 : id < 256 ? S5_3 :
   id < 320 ? S5_4 : id < 384 ? S5_5 : id < 448 ? S5_6 : id < 512 ? S5_7 : 0)
  >> (id & 63)) & 1/
{
	printf("%d %d %d %d %s", 1, tid, id, 5, copyinstr(self->a5));
}

syscall:::return
/self->ok && (int64_t)arg0 > 0 &&
 ((id < 64 ? B0_0 : id < 128 ? B0_1 : id < 192 ? B0_2 : id < 256 ? B0_3 :
   id < 320 ? B0_4 : id < 384 ? B0_5 : id < 448 ? B0_6 : id < 512 ? B0_7 : 0)
  >> (id & 63)) & 1/
{
	this->n = (int64_t)arg0 < (int64_t)self->a1 ? (int64_t)arg0 : (int64_t)self->a1;
	printf("%d %d %d %d %d %s", 2, tid, id, 0, this->n,
	    stringof(copyin(self->a0, this->n)));
}

syscall:::return
/self->ok && (int64_t)arg0 > 0 &&
 ((id < 64 ? B1_0 : id < 128 ? B1_1 : id < 192 ? B1_2 : id < 256 ? B1_3 :
   id < 320 ? B1_4 : id < 384 ? B1_5 : id < 448 ? B1_6 : id < 512 ? B1_7 : 0)
  >> (id & 63)) & 1/
{
	this->n = (int64_t)arg0 < (int64_t)self->a2 ? (int64_t)arg0 : (int64_t)self->a2;
	printf("%d %d %d %d %d %s", 2, tid, id, 1, this->n,
	    stringof(copyin(self->a1, this->n)));
}

syscall:::return
/self->ok && (int64_t)arg0 > 0 &&
 ((id < 64 ? B2_0 : id < 128 ? B2_1 : id < 192 ? B2_2 : id < 256 ? B2_3 :
   id < 320 ? B2_4 : id < 384 ? B2_5 : id < 448 ? B2_6 : id < 512 ? B2_7 : 0)
  >> (id & 63)) & 1/
{
	this->n = (int64_t)arg0 < (int64_t)self->a3 ? (int64_t)arg0 : (int64_t)self->a3;
	printf("%d %d %d %d %d %s", 2, tid, id, 2, this->n,
	    stringof(copyin(self->a2, this->n)));
}

syscall:::return
/self->ok && (int64_t)arg0 > 0 &&
 ((id < 64 ? B3_0 : id < 128 ? B3_1 : id < 192 ? B3_2 : id < 256 ? B3_3 :
   id < 320 ? B3_4 : id < 384 ? B3_5 : id < 448 ? B3_6 : id < 512 ? B3_7 : 0)
  >> (id & 63)) & 1/
{
	this->n = (int64_t)arg0 < (int64_t)self->a4 ? (int64_t)arg0 : (int64_t)self->a4;
	printf("%d %d %d %d %d %s", 2, tid, id, 3, this->n,
	    stringof(copyin(self->a3, this->n)));
}

syscall:::return
/self->ok/
{
	this->ts = timestamp;	/* one clock read, not two */
	printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d", 3, id, pid, tid,
	    self->a0, self->a1, self->a2, self->a3, self->a4, self->a5,
	    (int64_t)arg0, errno, this->ts, this->ts - self->start,
	    DT_CPU ? vtimestamp - self->vstart : 0);
	self->stk = DT_STACK;
}

syscall:::return
/self->ok && DT_COUNTS/
{
	@calls[probefunc] = count();
}

syscall:::return
/self->stk/
{
	ustack();
	self->stk = 0;
}

/*
 * Only self->ok is cleared after a call: the next entry overwrites the
 * rest, so that a thread's variables are made once, not once a call.
 * They go when the thread ends.
 */
syscall:::return
/self->ok/
{
	self->ok = 0;
}

proc:::exit, proc:::lwp-exit
/self->start/
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
	self->stk = 0;
	self->expos = 0;
	self->exok = 0;
}

dtrace:::END
/DT_COUNTS/
{
	printf("\n%-32s %16s\n", "CALL", "COUNT");
	printa("%-32s %@16d\n", @calls);
}
