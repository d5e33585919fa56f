package agent

// Command is the argument that makes rehearse's binary the agent.
const Command = "__agent"
