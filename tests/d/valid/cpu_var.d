profile-99
{
	@percpu[cpu] = count();
}
