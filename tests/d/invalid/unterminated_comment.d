BEGIN
{
}

/* the end
