// Loads the Calcite components the app uses and points Calcite at the assets bundled with
// the app (see vite.config.ts), never at a CDN.
import "@esri/calcite-components/main.css";
import { setAssetPath } from "@esri/calcite-components";
import "@esri/calcite-components/components/calcite-shell";
import "@esri/calcite-components/components/calcite-navigation";
import "@esri/calcite-components/components/calcite-navigation-logo";
import "@esri/calcite-components/components/calcite-panel";
import "@esri/calcite-components/components/calcite-dialog";
import "@esri/calcite-components/components/calcite-switch";
import "@esri/calcite-components/components/calcite-notice";
import "@esri/calcite-components/components/calcite-loader";
import "@esri/calcite-components/components/calcite-chip";
import "@esri/calcite-components/components/calcite-icon";
import "@esri/calcite-components/components/calcite-button";
import "@esri/calcite-components/components/calcite-navigation-user";
import "@esri/calcite-components/components/calcite-input";
import "@esri/calcite-components/components/calcite-input-text";
import "@esri/calcite-components/components/calcite-label";
import "@esri/calcite-components/components/calcite-select";
import "@esri/calcite-components/components/calcite-option";
import "@esri/calcite-components/components/calcite-segmented-control";
import "@esri/calcite-components/components/calcite-segmented-control-item";
import "@esri/calcite-components/components/calcite-dropdown";
import "@esri/calcite-components/components/calcite-dropdown-group";
import "@esri/calcite-components/components/calcite-dropdown-item";
import "@esri/calcite-components/components/calcite-progress";
import "@esri/calcite-components/components/calcite-text-area";
import "@esri/calcite-components/components/calcite-input-message";
import "@esri/calcite-components/components/calcite-menu";
import "@esri/calcite-components/components/calcite-combobox";
import "@esri/calcite-components/components/calcite-combobox-item";
import "@esri/calcite-components/components/calcite-menu-item";

export function setUpCalcite(): void {
  setAssetPath(new URL("./calcite/", document.baseURI).href);
}
