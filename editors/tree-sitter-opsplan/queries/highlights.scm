; Highlights for opsplan (Helix, Neovim, Zed). Capture names are the common ones of
; the three editors.

[
  (line_comment)
  (block_comment)
] @comment

(string) @string
(quoted_requirement_id) @string.special
(requirement_id) @string.special
(fingerprint) @constant

[
  (integer)
  (number)
  (hex_number)
] @number
(unit) @type
(version) @number

[
  (doy_time)
  (iso_time)
  (date)
  (clock)
] @constant
(duration) @constant
(anchor) @keyword

(operator) @operator
(offset sign: _ @operator)
["&" "|" "=" ".."] @operator
["{" "}" "(" ")"] @punctuation.bracket
["," "."] @punctuation.delimiter
"@" @punctuation.special

; Declared names.
(plan name: (identifier) @type)
(procedure name: (identifier) @function)
(scenario name: (identifier) @type)
(roster name: (identifier) @type)
(phase name: (identifier) @type)
(activity name: (identifier) @function)
(step label: (_) @label)
(goto label: (_) @label)
(window name: (identifier) @constant)
(resource name: (identifier) @constant)
(position name: (identifier) @type)
(duty name: (identifier) @type)
(person name: (identifier) @variable)

; References to procedures and activities.
(procedure_ref procedure: (identifier) @function)
(call procedure: (identifier) @function)
(contingency procedure: (identifier) @function)
(expect procedure: (identifier) @function)
(relative_time activity: (identifier) @function)
(after activity: (identifier) @function)
(before activity: (identifier) @function)
(during activity: (identifier) @function)
(starts_with activity: (identifier) @function)
(command name: (identifier) @function.call)
(argument name: (identifier) @property)
(check parameter: (identifier) @property)

(use_kind) @type.builtin
(window_kind) @type.builtin
(outcome_value) @constant.builtin
(exclusive) @keyword
(critical) @keyword
(end) @keyword

[
  "plan" "mission" "issue" "horizon" "use" "procedures" "windows" "rules" "roster"
  "waive" "for" "ref" "roles" "in" "resource" "capacity" "window" "kind" "every"
  "lasting" "from" "until" "daily" "phase" "activity" "at" "lasts" "by" "tags"
  "procedure" "needs" "uses" "covers" "note" "after" "before" "during" "starts" "with"
  "within" "version" "family" "requires" "coverage" "contingency" "handles" "duration"
  "step" "command" "check" "poll" "wait" "timeout" "call" "manual" "goto" "abort"
  "on" "fail" "scenario" "trainees" "inject" "expect" "instructor" "held" "outcome"
  "weekly" "rest" "max" "shift" "week" "nights" "night" "handover" "position" "fills"
  "continuous" "minimum" "alone" "person" "qualified" "scenarios" "trainee" "under"
  "duty" "response" "oncall" "assign" "to"
] @keyword
