BEGIN
{
	printf("tab\qhere\n");
}
