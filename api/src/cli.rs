//! The command line: serve, migrate, create-user, print-schema.

use clap::{Parser, Subcommand, ValueEnum};
use jobtrack_migration::{Migrator, MigratorTrait};

use crate::config::Config;
use crate::domain::users::{self, NewUser};
use crate::domain::values::Role;
use crate::error::{Error, Result};

#[derive(Parser)]
#[command(
    name = "jobtrack",
    version,
    about = "Jobtrack: the job-track marketplace's GraphQL server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Migrate the database, then serve GraphQL.
    Serve {
        /// Fill an empty database with the demo data and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Run migrations.
    Migrate {
        #[arg(value_enum, default_value = "up")]
        action: MigrateAction,
    },
    /// Create a user; the password comes from JOBTRACK_PASSWORD or standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// A role; repeat or separate with commas for several.
        #[arg(long, value_delimiter = ',', required = true)]
        role: Vec<String>,
        /// The organisationsnummer of the user's organisation.
        #[arg(long)]
        organization: Option<String>,
        /// The organisationsnummer of an EMPLOYER user's employer.
        #[arg(long)]
        employer: Option<String>,
        /// A municipality code whose candidates the user may see; repeat for several.
        #[arg(long)]
        municipality: Vec<String>,
    },
    /// Print the GraphQL SDL as served.
    PrintSchema,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MigrateAction {
    /// Apply all pending migrations.
    Up,
    /// Revert the last applied migration.
    Down,
    /// List migrations and whether they are applied.
    Status,
    /// Revert every migration, then apply them all again (all data is lost).
    Fresh,
}

pub async fn run(cli: Cli, config: Config) -> Result<()> {
    match cli.command.unwrap_or(Command::Serve { demo: true }) {
        Command::Serve { demo } => crate::serve(config, demo).await,
        Command::Migrate { action } => {
            let db = crate::db::connect(&config.database_url).await?;
            match action {
                MigrateAction::Up => Migrator::up(db.orm(), None).await?,
                MigrateAction::Down => Migrator::down(db.orm(), Some(1)).await?,
                MigrateAction::Status => Migrator::status(&db).await?,
                // Every migration is reversible: reverting them in order works with
                // SQLite's foreign-key checks, where dropping tables wholesale does not.
                MigrateAction::Fresh => {
                    Migrator::down(db.orm(), None).await?;
                    Migrator::up(db.orm(), None).await?;
                }
            }
            Ok(())
        }
        Command::CreateUser {
            email,
            name,
            role,
            organization,
            employer,
            municipality,
        } => {
            let roles = role
                .iter()
                .map(|r| {
                    Role::parse(&r.trim().to_uppercase())
                        .ok_or_else(|| Error::bad_input("role", format!("unknown role {r}")))
                })
                .collect::<Result<Vec<_>>>()?;
            let password = match config.cli_password.clone() {
                Some(p) => p,
                None => read_password()?,
            };
            let state = crate::app::AppState::init(config).await?;
            let organization_id = match organization {
                Some(n) => Some(users::organization_by_number(&state.db, &n).await?),
                None => None,
            };
            let employer_id = match employer {
                Some(n) => Some(users::employer_by_number(&state.db, &n).await?),
                None => None,
            };
            let input = NewUser {
                email,
                name,
                roles,
                organization_id,
                employer_id,
                municipality_codes: municipality,
                password: Some(password),
            };
            let user = users::create_user(&state.db, input).await?;
            println!("created user {} ({})", user.id, user.email);
            Ok(())
        }
        Command::PrintSchema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
    }
}

/// Reads one line from standard input (the password, not echoed by pipes).
fn read_password() -> Result<String> {
    eprintln!("password (or set JOBTRACK_PASSWORD):");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(Error::internal)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(Error::bad_input("password", "is required"));
    }
    Ok(password)
}
