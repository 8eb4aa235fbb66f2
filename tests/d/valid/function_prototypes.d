extern int getint(void);
extern int *getptr(void);
extern int *(*funcptr)(void);
int noparms(), twoparms(int, char *);
int after;

BEGIN
{
	after = 1;
	exit(0);
}
