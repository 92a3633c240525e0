/**
 * The little of bpmn-moddle and bpmn-auto-layout the export uses. Both packages are ES modules
 * without type declarations for their main entry; Node 20.19+ loads them with `require`
 * (bpmn-auto-layout through its CommonJS build), Jest through the transform in jest.config.js.
 */
declare module 'bpmn-moddle' {
  /** A model element: its BPMN type and the properties of that type. */
  export interface ModdleElement {
    readonly $type: string;
    id?: string;
    [property: string]: any;
  }

  export interface ParseResult {
    rootElement: ModdleElement;
    elementsById: Record<string, ModdleElement>;
    warnings: { message: string; element?: ModdleElement; property?: string; value?: unknown }[];
  }

  export class BpmnModdle {
    constructor();
    create(type: string, properties?: Record<string, unknown>): ModdleElement;
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: { format?: boolean; preamble?: boolean }): Promise<{ xml: string }>;
  }
}

declare module 'bpmn-auto-layout' {
  /** The XML with a diagram (DI) for the first process, laid out on a grid. */
  export function layoutProcess(xml: string): Promise<string>;
}
