// Set up once for every UI test file.
//
// jsdom has no canvas: `getContext` answers null (as a browser does for a context it cannot
// make) instead of logging "not implemented", so a chart (Chart.js) renders nothing and says
// nothing in UI tests. Charts are checked through the figures beside them, and drawn in the
// real window by the end-to-end tests.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;
