; Blocks fold (Neovim's folds query; Helix and Zed fold by indentation).
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
  (block_comment)
] @fold
