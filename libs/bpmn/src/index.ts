/**
 * The processes drawn as BPMN 2.0 with a diagram, for the API only: it loads bpmn-moddle and
 * bpmn-auto-layout, which must never reach the workflow bundle (the domain does not import this).
 */
export * from './bpmn';
export * from './element-ids';
