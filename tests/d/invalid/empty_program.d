/* nothing but a comment */

#pragma D option quiet
