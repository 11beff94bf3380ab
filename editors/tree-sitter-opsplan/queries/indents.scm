; Indentation: the lines of a block are indented one level, its closing brace not.
; Each node carries the capture names of both editors: Helix (`@indent`, `@outdent`)
; and nvim-treesitter (`@indent.begin`, `@indent.end`, `@indent.branch`); each editor
; ignores the other's.
[
  (plan_body)
  (phase_body)
  (activity_body)
  (procedure_body)
  (step_body)
  (scenario_body)
  (inject_body)
  (roster_body)
  (rules_body)
  (position_body)
  (duty_body)
  (person_body)
] @indent @indent.begin

"}" @outdent @indent.end @indent.branch
