/* page_icon.c — the search page's icon, a magnifying glass in the page's
 * accent colour, served as /favicon.svg. Without one, every browser asks
 * for /favicon.ico on its own and logs the 404 as a page error; /favicon.ico
 * gets the same SVG, which current browsers accept under that name. */
#include "page.h"
#include "respond.h"

static const char icon[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
    "<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#1a56b8\"/>"
    "<circle cx=\"6.75\" cy=\"6.75\" r=\"3.5\" fill=\"none\" stroke=\"#fff\" stroke-width=\"2\"/>"
    "<path d=\"M9.5 9.5l3.5 3.5\" stroke=\"#fff\" stroke-width=\"2\" stroke-linecap=\"round\"/>"
    "</svg>\n";

void page_icon(request *req)
{
    resp_static(&req->resp, CTYPE_SVG, icon, sizeof icon - 1);
}
