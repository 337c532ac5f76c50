// Loads the Calcite components the app uses and points Calcite at the assets bundled with
// the app (see vite.config.ts), never at a CDN.
import "@esri/calcite-components/main.css";
import { setAssetPath } from "@esri/calcite-components";
import "@esri/calcite-components/components/calcite-shell";
import "@esri/calcite-components/components/calcite-navigation";
import "@esri/calcite-components/components/calcite-navigation-logo";
import "@esri/calcite-components/components/calcite-panel";
import "@esri/calcite-components/components/calcite-notice";
import "@esri/calcite-components/components/calcite-loader";
import "@esri/calcite-components/components/calcite-chip";
import "@esri/calcite-components/components/calcite-icon";
import "@esri/calcite-components/components/calcite-button";

export function setUpCalcite(): void {
  setAssetPath(new URL("./calcite/", document.baseURI).href);
}
